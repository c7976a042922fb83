import xterm from '@xterm/headless'
import pty from 'node-pty'
import { afterEach } from 'vitest'
import { cliPath } from './cli.js'

const { Terminal } = xterm

/** What waitFor waits for: text on the screen, a pattern, or a test of the whole screen. */
export type ScreenCheck = string | RegExp | ((screen: string) => boolean)

export interface PtyOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  columns?: number
  rows?: number
}

/** The built CLI running in a pseudo-terminal, its output rendered by a headless xterm. */
export interface PtyCli {
  pid: number
  columns: number
  rows: number
  /** The visible text of the terminal, one line per row (trailing blanks cut), joined by \n. */
  screen: () => string
  /** Everything the process wrote so far, escape sequences included. */
  output: () => string
  /** Polls the screen until `check` holds; throws with the screen in the message after `timeoutMs`. */
  waitFor: (check: ScreenCheck, timeoutMs?: number) => Promise<string>
  /** Presses keys one at a time: `enter`, `escape`, `tab`, `up`, `ctrl+c`, `a`, … */
  press: (...keys: string[]) => Promise<void>
  /** Writes bytes as they are, in one piece: a paste, or an escape sequence of one's own. */
  write: (data: string) => void
  /** Types text as a person does, one character at a time. */
  type: (text: string) => Promise<void>
  /** Resolves when the process has exited and the terminal has drawn all it wrote. */
  exit: Promise<{ exitCode: number; signal: number | undefined }>
  exited: () => boolean
  /** Whether the terminal shows its alternate screen (as full-screen programs use). */
  inAlternateScreen: () => boolean
  /** Sends a signal to the process (SIGKILL unless told); does nothing once it has exited. */
  kill: (signal?: NodeJS.Signals) => void
  /** Kills the process unless it has exited, and resolves once it has. */
  stop: () => Promise<void>
}

const KEYS: Record<string, string> = {
  enter: '\r',
  return: '\r',
  escape: '\x1b',
  esc: '\x1b',
  tab: '\t',
  'shift+tab': '\x1b[Z',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  home: '\x1b[H',
  end: '\x1b[F',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  delete: '\x1b[3~',
  backspace: '\x7f',
  space: ' ',
}

/** The bytes a terminal sends for a key name. */
export function keyBytes(name: string): string {
  const known = KEYS[name]
  if (known !== undefined) return known
  const ctrl = /^ctrl\+([a-z])$/.exec(name)
  if (ctrl?.[1]) return String.fromCharCode(ctrl[1].charCodeAt(0) - 96)
  if ([...name].length === 1) return name
  throw new Error(`no key named ${JSON.stringify(name)}`)
}

/** The child's environment: never in CI (Ink would draw nothing until exit), and an xterm. */
function childEnv(extra: NodeJS.ProcessEnv | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...process.env, ...extra })) {
    if (value === undefined || key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_'))
      continue
    env[key] = value
  }
  env.TERM = 'xterm-256color'
  delete env.COLUMNS
  delete env.LINES
  return env
}

const running = new Set<PtyCli>()
afterEach(async () => {
  const left = [...running]
  running.clear()
  for (const cli of left) cli.kill('SIGKILL')
  await Promise.all(left.map((cli) => cli.exit))
})

/**
 * Starts `node dist/cli.js ...args` in a pseudo-terminal (100x30 unless told); killed after the test.
 * MACDS_PTY_CLI names another bundle to start instead (a build of one's own while dist/ is rebuilt).
 */
export function spawnPty(args: string[], options: PtyOptions): PtyCli {
  const columns = options.columns ?? 100
  const rows = options.rows ?? 30
  const terminal = new Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 1000 })
  const child = pty.spawn(process.execPath, [process.env.MACDS_PTY_CLI ?? cliPath, ...args], {
    name: 'xterm-256color',
    cols: columns,
    rows,
    cwd: options.cwd,
    env: childEnv(options.env),
  })
  let raw = ''
  let done = false
  let lastData = 0
  child.onData((data) => {
    raw += data
    lastData += 1
    terminal.write(data)
  })
  // Answers to the program's queries (cursor position, device attributes) go back to it.
  terminal.onData((data) => {
    if (!done) child.write(data)
  })
  const exit = new Promise<{ exitCode: number; signal: number | undefined }>((resolve) => {
    child.onExit(({ exitCode, signal }) => {
      done = true
      running.delete(cli)
      // Let the terminal parse what was written last before anyone looks at it.
      terminal.write('', () => resolve({ exitCode, signal: signal || undefined }))
    })
  })

  const screen = () => {
    const buffer = terminal.buffer.active
    const lines: string[] = []
    for (let i = 0; i < terminal.rows; i++) {
      lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '')
    }
    return lines.join('\n')
  }
  const holds = (check: ScreenCheck, text: string) =>
    typeof check === 'string'
      ? text.includes(check)
      : check instanceof RegExp
        ? check.test(text)
        : check(text)

  const waitFor = async (check: ScreenCheck, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      // Whatever was written is parsed first: the screen is then as a person would see it.
      await new Promise<void>((resolve) => terminal.write('', resolve))
      const text = screen()
      if (holds(check, text)) return text
      if (Date.now() > deadline || done) {
        const what = typeof check === 'function' ? 'a screen that passes the check' : String(check)
        const state = done ? 'the process has exited' : `still running (pid ${child.pid})`
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; ${state}. The screen:\n${frame(text, columns)}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  /**
   * Sends one key and waits until the program has drawn something since (or a short while, for keys
   * that change nothing on screen), so that the next key reaches it as a keypress of its own: a
   * program reading two keys in one chunk may take them for a paste or an escape sequence.
   */
  const send = async (bytes: string) => {
    if (done)
      throw new Error(
        `the process has exited; cannot send ${JSON.stringify(bytes)}. The screen:\n${frame(screen(), columns)}`,
      )
    const before = lastData
    child.write(bytes)
    const start = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 15))
    while (lastData === before && Date.now() - start < 150 && !done) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  const cli: PtyCli = {
    pid: child.pid,
    columns,
    rows,
    screen,
    output: () => raw,
    waitFor,
    async press(...keys) {
      for (const key of keys) await send(keyBytes(key))
    },
    write(data) {
      if (!done) child.write(data)
    },
    async type(text) {
      for (const char of text) await send(char)
    },
    exit,
    exited: () => done,
    inAlternateScreen: () => terminal.buffer.active.type === 'alternate',
    async stop() {
      cli.kill('SIGKILL')
      await exit
    },
    kill(signal = 'SIGKILL') {
      if (done) return
      try {
        child.kill(signal)
      } catch {
        // It has just exited.
      }
    },
  }
  running.add(cli)
  return cli
}

/** The same as spawnPty. */
export const spawn = spawnPty

/** A screen in a frame (at least `columns` wide), for error messages and reports. */
export function frame(text: string, columns = 0): string {
  const lines = text.split('\n')
  const width = Math.max(columns, ...lines.map((l) => l.length))
  const rule = `+${'-'.repeat(width)}+`
  return [rule, ...lines.map((l) => `|${l.padEnd(width)}|`), rule].join('\n')
}
