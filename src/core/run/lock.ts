import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { userError } from '../errors.js'

/**
 * Marks a run as driven by this process. A lock left by a process that is gone (killed, crashed)
 * is taken over; a lock held by a live process is a user error, so two processes never append to
 * one event log. Synchronous: a few quick calls, made before the work they guard.
 */
export function acquireLock(file: string, runId: string): void {
  mkdirSync(dirname(file), { recursive: true })
  try {
    // Created only if absent, so two processes starting at once cannot both take it.
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const pid = lockHolder(file)
  if (pid !== undefined && pid !== process.pid) {
    throw userError(
      'RUN_LOCKED',
      `run ${runId} is being driven by process ${pid}`,
      'Wait for it to finish, or stop that process first; `macds status` shows the run.',
    )
  }
  writeFileSync(file, `${process.pid}\n`)
}

/** Removes a lock (one that is already gone is fine). Synchronous: one quick call, made as work ends. */
export function releaseLock(file: string): void {
  try {
    unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** The live process that holds a lock, if any (a missing lock, or one left by a dead process, has none). */
export function lockHolder(file: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(file, 'utf8').trim())
  } catch {
    return undefined
  }
  return pid && alive(pid) ? pid : undefined
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
