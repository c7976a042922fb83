import { spawn } from 'node:child_process'
import { MacdsError } from '../errors.js'

/**
 * Settings on every call: no hooks, no fsmonitor program, no pager, no colour, and no grep settings
 * from the user's config that would change the output we parse. Pathspecs are literal: globs are
 * matched by macds, git is only given a directory to start from.
 */
const SAFE_CONFIG = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.pager=cat',
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'grep.column=false',
  '-c',
  'grep.fullName=false',
  '-c',
  'grep.fallbackToNoIndex=false',
  '-c',
  'submodule.recurse=false',
  '--no-pager',
  '--literal-pathspecs',
]

/** What a git call gave back. `truncated`: stdout passed `maxBytes` and git was stopped there. */
export interface GitOutput {
  code: number | null
  stdout: Buffer
  stderr: string
  truncated: boolean
  timedOut: boolean
}

export interface GitOptions {
  cwd: string
  timeoutMs: number
  maxBytes: number
  signal?: AbortSignal
}

/**
 * Runs git read-only in `cwd` with hooks and risky settings disabled and without the caller's `GIT_*`
 * variables (which could point it at another repository). The child is killed when it outlives
 * `timeoutMs`, when its output passes `maxBytes`, or when `signal` aborts (the promise then rejects
 * with the signal's reason). A git that cannot be started is an external MacdsError.
 */
export function runGit(args: string[], options: GitOptions): Promise<GitOutput> {
  const { cwd, timeoutMs, maxBytes, signal } = options
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const child = spawn('git', [...SAFE_CONFIG, ...args], {
      cwd,
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const chunks: Buffer[] = []
    let bytes = 0
    let stderr = ''
    let truncated = false
    let timedOut = false
    const stop = () => child.kill('SIGKILL')
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, timeoutMs)
    const onAbort = () => stop()
    signal?.addEventListener('abort', onAbort, { once: true })

    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return
      const room = maxBytes - bytes
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
      bytes += Math.min(chunk.length, room)
      if (chunk.length > room) {
        truncated = true
        stop()
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8')
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      reject(
        new MacdsError('GIT_UNAVAILABLE', `could not run git: ${error.message}`, {
          kind: 'external',
          hint: 'Install git and make sure it is on PATH.',
          cause: error,
        }),
      )
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (signal?.aborted) reject(signal.reason)
      else resolve({ code, stdout: Buffer.concat(chunks), stderr: stderr.trim(), truncated, timedOut })
    })
  })
}

/** The environment without `GIT_*` variables, with prompts and lazy fetches of missing objects off. */
let environment: NodeJS.ProcessEnv | undefined

/** The environment of every git call, made once per process (reading process.env costs about 2 ms). */
function gitEnv(): NodeJS.ProcessEnv {
  if (environment) return environment
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value
  environment = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1' }
  return environment
}

/** A failure git reported that the model cannot fix (not a repository, a broken index...). */
export function gitFailed(what: string, output: GitOutput): MacdsError {
  return new MacdsError(
    'GIT_FAILED',
    `git ${what} failed (exit ${output.code}): ${output.stderr || 'no message'}`,
    {
      kind: 'external',
      hint: 'Check that the work tree is a git repository that git can read.',
    },
  )
}

/** Splits NUL-terminated `-z` output into its records; the cut-off last record of truncated output is dropped. */
export function nulRecords(output: GitOutput): string[] {
  const records = output.stdout.toString('utf8').split('\0')
  records.pop() // the empty string after the last NUL, or the record the truncation cut
  return records
}
