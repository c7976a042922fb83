import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type * as NodePty from 'node-pty'
import type * as XTerm from '@xterm/headless'
import { parse, stringify } from 'yaml'
import { type BenchRow, bestRound, ROUNDS } from './measure.js'

/**
 * The supervisor (`macds` with no arguments) driven as a person drives it: the built CLI in a real
 * pseudo-terminal of 120×40, its output parsed by a headless xterm. Measured, each next to its baseline
 * in the same run: spawn to the first full frame; CPU while idle; CPU while a run produces about 1,000
 * events a second; and the time from a key press to the frame that shows it, during that run.
 */

const COLUMNS = 120
const ROWS = 40
/** Launches timed for the first frame; the median is reported (after one warm-up launch each). */
const LAUNCHES = 7
/** Time left after the first frame (or the run's start) before CPU is sampled, and the sample. */
const SETTLE_MS = 1000
const CPU_WINDOW_MS = 5000
/** The run under load (see loopFiles): pairs of stages, visits of each pair, the delay of each answer. */
const PAIRS = 10
const FAILS = 99
const DELAY_MS = 6
/** The event rate the CPU target is stated at. */
const TARGET_RATE = 1000
/** Tab presses timed during the run, and while idle. */
const KEYS_UNDER_LOAD = 40
const KEYS_IDLE = 20
const REQUIREMENT = 'Add rate limiting to the login endpoint'

export interface UiBenchOptions {
  /** The package root: contracts/, agents/, node_modules/, tests/. */
  root: string
  /** A scratch directory, created here; the caller removes it. */
  dir: string
  /** The built CLI (default: dist/cli.js under root). */
  cli?: string
}

interface Modules {
  pty: typeof NodePty
  Terminal: typeof XTerm.Terminal
}

/** node-pty is native and xterm is large: both are loaded from the package at run time, never bundled. */
function modules(root: string): Modules {
  const load = createRequire(join(root, 'package.json'))
  const pty = load('node-pty') as typeof NodePty
  const { Terminal } = load('@xterm/headless') as typeof XTerm
  return { pty, Terminal }
}

/** The environment of every child: no CI variables (Ink draws nothing until exit under CI), a real TERM. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION' && !key.startsWith('CI_'))
      env[key] = value
  env.TERM = 'xterm-256color'
  return env
}

/** Begin and end of a synchronized update (DEC mode 2026). */
const BSU = '\x1b[?2026h'
const ESU = '\x1b[?2026l'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A small seeded generator, so that every bench run presses keys at the same intervals. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}

const median = (values: number[]) => quantile(values, 0.5)

const clockTicks = (() => {
  let ticks: number | undefined
  return () => (ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100)
})()

/** CPU seconds a process has used so far (user + system), and its children that have ended, from /proc. */
function cpuSeconds(pid: number): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The fields after the command name, which is in parentheses and may hold spaces: state is field 3.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number)
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15)
  return { own: (utime + stime) / clockTicks(), children: (cutime + cstime) / clockTicks() }
}

/** The CPU a process uses over the next `ms` as a percentage of one core: its own, and its children's. */
async function cpuPercent(pid: number, ms: number): Promise<{ own: number; children: number }> {
  const before = cpuSeconds(pid)
  const start = performance.now()
  await sleep(ms)
  const after = cpuSeconds(pid)
  const seconds = (performance.now() - start) / 1000
  return {
    own: ((after.own - before.own) * 100) / seconds,
    children: ((after.children - before.children) * 100) / seconds,
  }
}

/** A program in a pseudo-terminal, its output parsed into a screen; times are `performance.now()`. */
class Screen {
  /** Every screen whose program is running, so that a failed benchmark leaves none behind. */
  private static readonly running = new Set<Screen>()
  readonly spawnedAt: number
  readonly exited: Promise<number>
  private readonly pty: NodePty.IPty
  private readonly term: XTerm.Terminal
  private readonly waiters = new Set<{ test: () => boolean; done: (at: number) => void; fail: () => void }>()
  private exitCode: number | undefined
  /** Inside a synchronized update: its frame is not complete yet. */
  private synchronized = false

  constructor({ pty, Terminal }: Modules, file: string, args: string[], cwd: string) {
    this.term = new Terminal({ cols: COLUMNS, rows: ROWS, scrollback: 0, allowProposedApi: true })
    this.spawnedAt = performance.now()
    this.pty = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: COLUMNS,
      rows: ROWS,
      cwd,
      env: childEnv(),
    })
    Screen.running.add(this)
    this.pty.onData((data) => this.receive(data, performance.now()))
    this.exited = new Promise((resolve) =>
      this.pty.onExit(({ exitCode }) => {
        this.exitCode = exitCode
        Screen.running.delete(this)
        for (const waiter of this.waiters) waiter.fail()
        resolve(exitCode)
      }),
    )
  }

  get pid(): number {
    return this.pty.pid
  }

  /** Resolves with the arrival time of the output after which `test` holds (now, if it holds already). */
  until(test: () => boolean, timeoutMs: number, what: string): Promise<number> {
    if (test()) return Promise.resolve(performance.now())
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer)
        this.waiters.delete(waiter)
        reject(new Error(`the screen did not show ${what}: ${why}; the screen:\n${this.text()}`))
      }
      const waiter = {
        test,
        done: (at: number) => {
          clearTimeout(timer)
          resolve(at)
        },
        fail: () => fail(`the program exited with ${this.exitCode}`),
      }
      const timer = setTimeout(() => fail(`nothing within ${timeoutMs} ms`), timeoutMs)
      this.waiters.add(waiter)
    })
  }

  /**
   * Parses output that arrived at `at`. Ink wraps each frame in a synchronized update (BSU … ESU), which
   * a terminal shows at once when it ends: the screen is tested at the end of each update, never in the
   * middle of one (where it is half drawn), and after output outside of any.
   */
  private receive(data: string, at: number): void {
    let from = 0
    for (let end = data.indexOf(ESU); end >= 0; end = data.indexOf(ESU, from)) {
      const segment = data.slice(from, end + ESU.length)
      from = end + ESU.length
      this.synchronized = false
      this.term.write(segment, () => this.check(at))
    }
    const rest = data.slice(from)
    if (rest === '') return
    if (rest.includes(BSU)) this.synchronized = true
    const inUpdate = this.synchronized
    this.term.write(rest, () => {
      if (!inUpdate) this.check(at)
    })
  }

  private check(at: number): void {
    for (const waiter of this.waiters)
      if (waiter.test()) {
        this.waiters.delete(waiter)
        waiter.done(at)
      }
  }

  /** Writes keys to the terminal; returns when they were written. */
  press(keys: string): number {
    const at = performance.now()
    this.pty.write(keys)
    return at
  }

  lines(): string[] {
    const buffer = this.term.buffer.active
    const lines: string[] = []
    for (let y = 0; y < ROWS; y++)
      lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '')
    return lines
  }

  text(): string {
    return this.lines().join('\n')
  }

  /** The title of the highlighted (inverse) tab in the supervisor's tab bar, if the bar is on screen. */
  focusedTab(): string | undefined {
    const buffer = this.term.buffer.active
    for (let y = 0; y < ROWS; y++) {
      const line = buffer.getLine(buffer.viewportY + y)
      const text = line?.translateToString(true) ?? ''
      if (!line || !/\b1 Approvals\b/.test(text) || !/\bLog\b/.test(text)) continue
      let focused = ''
      for (let x = 0; x < COLUMNS; x++) {
        const cell = line.getCell(x)
        if (cell?.isInverse()) focused += cell.getChars() || ' '
      }
      return focused.trim() || undefined
    }
    return undefined
  }

  /** The text of an input prompt (`> draft` and an inverse cursor), if one is on screen. */
  draft(): string | undefined {
    const buffer = this.term.buffer.active
    for (let y = 0; y < ROWS; y++) {
      const line = buffer.getLine(buffer.viewportY + y)
      const start = line?.translateToString(false).indexOf('> ') ?? -1
      if (!line || start < 0) continue
      let text = ''
      for (let x = start + 2; x < COLUMNS; x++) {
        const cell = line.getCell(x)
        if (!cell || cell.isInverse()) return text
        text += cell.getChars() || ' '
      }
    }
    return undefined
  }

  static killAll(): void {
    for (const screen of Screen.running) screen.pty.kill('SIGKILL')
  }

  /** Quits with `q` (killing the program if it does not leave within 10 s); returns its exit code. */
  async close(): Promise<number> {
    if (this.exitCode === undefined) {
      this.pty.write('q')
      const timer = setTimeout(() => this.pty.kill('SIGKILL'), 10_000)
      await this.exited
      clearTimeout(timer)
    }
    this.term.dispose()
    return this.exitCode ?? -1
  }
}

/** The minimal Ink app's frame. */
function minimalFrame(screen: Screen): boolean {
  return screen.text().includes('minimal ink app')
}

/** The supervisor's first full frame: the status line with no run yet, and the footer's key hints. */
function firstFrame(screen: Screen): boolean {
  const lines = screen.lines()
  const footer = lines.findLast((l) => l.trim() !== '') ?? ''
  return /^macds .*no run yet/.test(lines[0] ?? '') && /\bquit\b/.test(footer)
}

/** A macds project in `dir`: the shipped contracts and agents, and `files` (macds.yaml, the script). */
async function project(root: string, dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true })
  await cp(join(root, 'contracts'), join(dir, 'contracts'), { recursive: true })
  await cp(join(root, 'agents'), join(dir, 'agents'), { recursive: true })
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

/**
 * The files of the project under load: `pairs` pairs of stages in a chain, one agent (product) on one
 * contract (requirements). The second stage of each pair fails its `pass_when` `fails` times, each
 * time re-opening the first, then passes: a run of many stage visits whose DAG still fits the screen
 * (a chain of hundreds of stages would not: its list pushes the tab bar off the screen). Each scripted
 * answer comes after `delayMs`.
 */
async function loopFiles(
  root: string,
  pairs: number,
  fails: number,
  delayMs: number,
): Promise<Record<string, string>> {
  const fixture = await readFile(join(root, 'tests/fixtures/contracts/requirements.valid.yaml'), 'utf8')
  const { output } = parse(fixture) as { output: Record<string, unknown> }
  const passing = { ...output, open_questions: ['Do clients behind one proxy share a limit?'] }
  const stages = []
  const steps = []
  // The same output objects in every step: the script holds each once, with YAML aliases.
  const step = (stage: string, answer: unknown) => ({
    agent: 'product',
    stage,
    output: answer,
    usage: { prompt_tokens: 1, completion_tokens: 1 },
    delay_ms: delayMs,
  })
  for (let k = 0; k < pairs; k++) {
    const [first, second] = [`a${k}`, `b${k}`]
    stages.push({
      id: first,
      agent: 'product',
      contract: 'requirements',
      depends_on: k === 0 ? [] : [`b${k - 1}`],
    })
    stages.push({
      id: second,
      agent: 'product',
      contract: 'requirements',
      depends_on: [first],
      pass_when: 'has(output.open_questions)',
      on_failure: { reopen: first, budget: fails },
    })
    for (let visit = 0; visit <= fails; visit++)
      steps.push(step(first, output), step(second, visit < fails ? output : passing))
  }
  return {
    'script.yaml': stringify({ version: 1, steps }),
    'macds.yaml': stringify({
      version: 1,
      provider: 'scripted',
      script: 'script.yaml',
      workflow: { concurrency: 1, stages },
    }),
  }
}

/** The directory of the run a process started in `dir`, once it exists. */
async function runDirectory(dir: string, timeoutMs: number): Promise<string> {
  const runs = join(dir, '.macds', 'runs')
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    const entries = await readdir(runs).catch(() => [])
    if (entries[0]) return join(runs, entries[0])
    await sleep(10)
  }
  throw new Error(`no run started in ${dir} within ${timeoutMs} ms`)
}

/** Events a run logged, per second from its first event to its last, and how it ended. */
async function runRate(runDir: string): Promise<{ events: number; perSecond: number; status: string }> {
  const lines = (await readFile(join(runDir, 'events.jsonl'), 'utf8')).split('\n').filter((l) => l !== '')
  const first = JSON.parse(lines[0] ?? '{}') as { ts?: string }
  const last = JSON.parse(lines.at(-1) ?? '{}') as { ts?: string; type?: string; status?: string }
  const seconds = (Date.parse(last.ts ?? '') - Date.parse(first.ts ?? '')) / 1000
  const status = last.type === 'run.finished' ? (last.status ?? 'unknown') : `not finished (${last.type})`
  return { events: lines.length, perSecond: (lines.length - 1) / seconds, status }
}

/** Presses tab `count` times, 100–200 ms apart, each time timing the frame that moves the highlight. */
async function tabLatencies(screen: Screen, count: number, seed: number): Promise<number[]> {
  const next = random(seed)
  const latencies: number[] = []
  for (let i = 0; i < count; i++) {
    await sleep(100 + next() * 100)
    // The screen may be half drawn (output still being parsed): the tab bar is read from a whole frame.
    await screen.until(() => screen.focusedTab() !== undefined, 5000, 'the tab bar')
    const before = screen.focusedTab()
    const sent = screen.press('\t')
    const moved = () => ![undefined, before].includes(screen.focusedTab())
    const shown = await screen.until(moved, 5000, 'the next tab focused')
    latencies.push(shown - sent)
  }
  return latencies
}

/** Bundles the minimal Ink app like the CLI (esbuild, ESM chunks, production React); returns its entry. */
function bundleMinimalInk(root: string, outdir: string): string {
  execFileSync(
    join(root, 'node_modules/.bin/esbuild'),
    [
      join(root, 'tests/bench/minimal-ink.tsx'),
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20.19',
      `--outdir=${outdir}`,
      '--splitting',
      '--chunk-names=chunks/[name]-[hash]',
      '--define:process.env.NODE_ENV="production"',
      "--banner:js=import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
      // Ink imports the React devtools only when DEV=true; they are not installed.
      '--external:react-devtools-core',
      '--log-level=warning',
    ],
    { stdio: 'inherit' },
  )
  return join(outdir, 'minimal-ink.js')
}

const ms = (n: number) => `${n.toFixed(0)} ms`
const percent = (n: number) => `${n.toFixed(1)} %`
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} events/s`

/**
 * A run's CPU scaled to the target's 1,000 events a second. The run is paced by its agents' fixed delay,
 * so a faster engine (or machine) goes through more events a second, and spends more CPU a second on
 * them; the work per event is what the target is about.
 */
function atTarget(run: { cpu: { own: number }; rate: { perSecond: number } }): number {
  return (run.cpu.own * TARGET_RATE) / run.rate.perSecond
}

/** Spawn to first frame, median of LAUNCHES interleaved launches of each (after one warm-up launch each). */
async function firstFrames(mods: Modules, cli: string, minimal: string, home: string) {
  const node = process.execPath
  const times = { bare: [] as number[], minimal: [] as number[], supervisor: [] as number[] }
  for (let i = 0; i <= LAUNCHES; i++) {
    const bare = new Screen(mods, node, ['-e', '0'], home)
    await bare.exited
    const bareMs = performance.now() - bare.spawnedAt
    await bare.close()

    const ink = new Screen(mods, node, [minimal], home)
    const inkMs = (await ink.until(() => minimalFrame(ink), 10_000, 'its text')) - ink.spawnedAt
    await ink.close()

    const supervisor = new Screen(mods, node, [cli], home)
    const shown = await supervisor.until(() => firstFrame(supervisor), 15_000, 'the first frame')
    const code = await supervisor.close()
    if (code !== 0) throw new Error(`the supervisor exited with ${code} after q`)
    if (i === 0) continue
    times.bare.push(bareMs)
    times.minimal.push(inkMs)
    times.supervisor.push(shown - supervisor.spawnedAt)
  }
  return { bare: median(times.bare), minimal: median(times.minimal), supervisor: median(times.supervisor) }
}

/** CPU while idle, from a second after the first frame, of the minimal Ink app and the supervisor; then tab presses. */
async function idle(mods: Modules, cli: string, minimal: string, home: string) {
  const ink = new Screen(mods, process.execPath, [minimal], home)
  await ink.until(() => minimalFrame(ink), 10_000, 'its text')
  await sleep(SETTLE_MS)
  const inkCpu = await cpuPercent(ink.pid, CPU_WINDOW_MS)
  await ink.close()
  const supervisor = new Screen(mods, process.execPath, [cli], home)
  await supervisor.until(() => firstFrame(supervisor), 15_000, 'the first frame')
  await sleep(SETTLE_MS)
  const supervisorCpu = await cpuPercent(supervisor.pid, CPU_WINDOW_MS)
  const keys = await tabLatencies(supervisor, KEYS_IDLE, 1)
  await supervisor.close()
  return { inkCpu, supervisorCpu, keys }
}

/**
 * The run headless (`macds run --json`, output to /dev/null): CPU over CPU_WINDOW_MS from a second after
 * the run starts, and the run's event rate.
 */
async function headlessRun(cli: string, dir: string) {
  const child = spawn(process.execPath, [cli, 'run', REQUIREMENT, '--json'], {
    cwd: dir,
    env: childEnv(),
    stdio: 'ignore',
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  try {
    const run = await runDirectory(dir, 30_000)
    await sleep(SETTLE_MS)
    const cpu = await cpuPercent(child.pid ?? 0, CPU_WINDOW_MS)
    const code = await exited
    const rate = await runRate(run)
    if (code !== 0 || rate.status !== 'passed')
      throw new Error(`the headless run ended ${rate.status}, the process with ${code}`)
    return { cpu, rate }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
}

/**
 * The same run started in the supervisor as a person would (n, the requirement typed, enter): CPU over
 * CPU_WINDOW_MS from a second after the run starts, then KEYS_UNDER_LOAD tab presses while it goes on.
 */
async function supervisedRun(mods: Modules, cli: string, dir: string) {
  const screen = new Screen(mods, process.execPath, [cli], dir)
  await screen.until(() => firstFrame(screen), 30_000, 'the first frame')
  // Keys are read in raw mode, which Ink turns on just after the first frame: until then they are lost.
  await sleep(SETTLE_MS)
  screen.press('n')
  await screen.until(() => screen.draft() === '', 5000, 'the requirement prompt')
  // A key at a time, each once the last is on screen, as a person types.
  for (let i = 1; i <= REQUIREMENT.length; i++) {
    const typed = REQUIREMENT.slice(0, i)
    screen.press(REQUIREMENT[i - 1] ?? '')
    await screen.until(() => screen.draft() === typed, 5000, `"${typed}" typed`)
  }
  screen.press('\r')
  const status = () => screen.lines()[0] ?? ''
  await screen.until(() => / running\b/.test(status()), 30_000, 'the run in progress')
  const run = await runDirectory(dir, 30_000)
  await sleep(SETTLE_MS)
  const cpu = await cpuPercent(screen.pid, CPU_WINDOW_MS)
  const keys = await tabLatencies(screen, KEYS_UNDER_LOAD, 2)
  if (!/ running\b/.test(status())) throw new Error('the run ended before the last key press: make it longer')
  await screen.until(() => / (passed|failed|cancelled)\b/.test(status()), 120_000, 'the run ended')
  const code = await screen.close()
  const rate = await runRate(run)
  if (code !== 0 || rate.status !== 'passed')
    throw new Error(`the supervised run ended ${rate.status}, the supervisor with ${code}`)
  return { cpu, keys, rate }
}

/** Runs every UI benchmark and returns their rows. */
export async function benchUi(options: UiBenchOptions): Promise<BenchRow[]> {
  const { root, dir } = options
  const cli = resolve(root, options.cli ?? 'dist/cli.js')
  const mods = modules(root)
  await mkdir(dir, { recursive: true })
  const minimal = bundleMinimalInk(root, join(dir, 'minimal-ink'))
  // A project with the default workflow for the first frame and idling.
  const home = await project(root, join(dir, 'project'), {
    'script.yaml': stringify({ version: 1, steps: [] }),
    'macds.yaml': stringify({ version: 1, provider: 'scripted', script: 'script.yaml' }),
  })
  // The loaded run: in its own copy of the project each time, which is not a git repository (effects
  // are only recorded).
  const files = await loopFiles(root, PAIRS, FAILS, DELAY_MS)
  try {
    const frame = await bestRound(
      () => firstFrames(mods, cli, minimal, home),
      (f) => f.supervisor,
    )
    const still = await idle(mods, cli, minimal, home)
    const { headless, supervised } = await bestRound(
      async (round) => ({
        headless: await headlessRun(cli, await project(root, join(dir, `headless-${round}`), files)),
        supervised: await supervisedRun(
          mods,
          cli,
          await project(root, join(dir, `supervised-${round}`), files),
        ),
      }),
      (r) => atTarget(r.supervised),
    )

    const seconds = `${CPU_WINDOW_MS / 1000} s`
    const visits = (PAIRS * 2 * (FAILS + 1)).toLocaleString('en-US')
    const keys = (values: number[]) =>
      `p50 ${quantile(values, 0.5).toFixed(1)} ms, p90 ${quantile(values, 0.9).toFixed(1)} ms`
    const p50 = quantile(supervised.keys, 0.5)
    const p90 = quantile(supervised.keys, 0.9)
    return [
      {
        benchmark: `supervisor: spawn to its first full frame in a ${COLUMNS}×${ROWS} pty, default workflow (median of ${LAUNCHES}, best of ${ROUNDS} rounds)`,
        result: ms(frame.supervisor),
        baseline: `\`node -e 0\` to exit: ${ms(frame.bare)}; a minimal Ink app to its frame: ${ms(frame.minimal)}`,
        target: '< 400 ms',
        pass: frame.supervisor < 400,
      },
      {
        benchmark: `supervisor idle after its first frame: CPU over ${seconds}`,
        result: `${percent(still.supervisorCpu.own)} of a core`,
        baseline: `the minimal Ink app: ${percent(still.inkCpu.own)}`,
        target: '< 2 %',
        pass: still.supervisorCpu.own < 2,
      },
      {
        benchmark: `supervisor during a run of ${visits} stage visits: CPU over ${seconds}, per 1,000 events/s (best of ${ROUNDS} rounds)`,
        result: `${percent(atTarget(supervised))} of a core (${percent(supervised.cpu.own)} at ${rate(supervised.rate.perSecond)}; + ${percent(supervised.cpu.children)} in child processes)`,
        baseline: `the same run headless (\`macds run --json > /dev/null\`): ${percent(atTarget(headless))} (${percent(headless.cpu.own)} at ${rate(headless.rate.perSecond)}; + ${percent(headless.cpu.children)})`,
        target: '< 30 %',
        pass: atTarget(supervised) < 30,
      },
      {
        benchmark: `tab to the frame that moves the highlight, during that run (${KEYS_UNDER_LOAD} presses, 100–200 ms apart)`,
        result: keys(supervised.keys),
        baseline: `the idle supervisor (${KEYS_IDLE} presses): ${keys(still.keys)}`,
        target: 'p50 < 16 ms, p90 < 33 ms',
        pass: p50 < 16 && p90 < 33,
      },
    ]
  } finally {
    Screen.killAll()
  }
}
