import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterEach } from 'vitest'

export const repoRoot = resolve(import.meta.dirname, '../..')
export const cliPath = resolve(repoRoot, 'dist/cli.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built CLI as a user would: `node dist/cli.js ...args`, with optional stdin text. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: 'pipe',
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`macds ${args.join(' ')} did not finish in time\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 15_000)
    child.on('error', fail)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}

/** A CLI process running in the background, with what it has printed so far. */
export interface BackgroundCli {
  child: ReturnType<typeof spawn>
  output: () => string
  exit: Promise<number | null>
}

/** Starts the built CLI without waiting for it; the caller waits for output and for `exit`. */
export function spawnCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): BackgroundCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout.on('data', (d) => (text += d))
  child.stderr.on('data', (d) => (text += d))
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const cli = { child, output: () => text, exit }
  background.add(cli)
  return cli
}

const background = new Set<BackgroundCli>()
afterEach(() => {
  for (const cli of background) cli.child.kill('SIGKILL')
  background.clear()
})
