import type { Readable } from 'node:stream'
import { execa } from 'execa'

/**
 * After the command's own process exits, its output streams get this long to end. Only a process
 * that left the group (setsid) and kept the pipes open makes them wait; they are then closed.
 */
const DRAIN_MS = 2000

/** One command to run in its own process group. */
export interface CommandSpec {
  file: string
  args: string[]
  cwd: string
  /** The whole environment of the command; nothing is inherited. */
  env: Record<string, string>
  timeoutMs: number
  /** Time between SIGTERM and SIGKILL when the group is stopped. */
  graceMs: number
  signal?: AbortSignal
}

/** How a command ended. */
export interface CommandOutcome {
  /** Undefined when it was killed by a signal or could not start. */
  exitCode: number | undefined
  /** The signal that ended it, when one did. */
  signal: string | undefined
  timedOut: boolean
  aborted: boolean
  /** The error code (such as ENOENT) when the program could not be started. */
  startError: string | undefined
  durationMs: number
}

/**
 * Runs a command detached, in its own process group, with stdout and stderr merged into one stream
 * that `consume` reads (it must not reject). On timeout or abort the group gets SIGTERM, then SIGKILL
 * after the grace time; when the command ends, whatever is left of its group is killed, so a
 * background process cannot outlive the step or hold its output open.
 */
export async function runCommand(
  spec: CommandSpec,
  consume: (output: Readable) => Promise<void>,
): Promise<CommandOutcome> {
  const started = performance.now()
  const child = execa(spec.file, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
  })
  const consuming = child.all ? consume(child.all) : Promise.resolve()
  const pid = child.pid
  let exited = false
  let stopping = false
  let timedOut = false
  let aborted = false
  const timers: NodeJS.Timeout[] = []
  const later = (ms: number, action: () => void) => timers.push(setTimeout(action, ms))
  const drain = () =>
    later(DRAIN_MS, () => {
      child.stdout?.destroy()
      child.stderr?.destroy()
      child.all?.destroy()
    })
  const stop = () => {
    if (stopping || exited || pid === undefined) return
    stopping = true
    signalGroup(pid, 'SIGTERM')
    later(spec.graceMs, () => {
      signalGroup(pid, 'SIGKILL')
      drain()
    })
  }
  const onAbort = () => {
    aborted = true
    stop()
  }

  child.once('exit', () => {
    exited = true
    if (stopping || pid === undefined) return
    signalGroup(pid, 'SIGKILL')
    drain()
  })
  if (pid !== undefined) {
    later(spec.timeoutMs, () => {
      timedOut = !exited
      stop()
    })
    if (spec.signal?.aborted) onAbort()
    else spec.signal?.addEventListener('abort', onAbort, { once: true })
  }

  try {
    const [result] = await Promise.all([child, consuming])
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut,
      aborted,
      startError: pid === undefined ? errorCode(result) : undefined,
      durationMs: Math.round(performance.now() - started),
    }
  } finally {
    for (const timer of timers) clearTimeout(timer)
    spec.signal?.removeEventListener('abort', onAbort)
    if (pid !== undefined) signalGroup(pid, 'SIGKILL')
  }
}

/** Sends `signal` to every process of the group led by `pid`; a group already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function errorCode(result: object): string {
  const code = 'code' in result ? result.code : undefined
  return typeof code === 'string' ? code : 'UNKNOWN'
}
