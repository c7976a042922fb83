import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { userError } from '../errors.js'

/**
 * Marks a run as driven by this process. A lock left by a process that is gone (killed, crashed)
 * is taken over; a lock held by a live process is a user error, so two processes never append to
 * one event log.
 */
export async function acquireLock(file: string, runId: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  try {
    // Created only if absent, so two processes starting at once cannot both take it.
    await writeFile(file, `${process.pid}\n`, { flag: 'wx' })
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const pid = await lockHolder(file)
  if (pid !== undefined && pid !== process.pid) {
    throw userError(
      'RUN_LOCKED',
      `run ${runId} is being driven by process ${pid}`,
      'Wait for it to finish, or stop that process first; `macds status` shows the run.',
    )
  }
  await writeFile(file, `${process.pid}\n`)
}

export async function releaseLock(file: string): Promise<void> {
  await rm(file, { force: true })
}

/** The live process that holds a lock, if any (a missing lock, or one left by a dead process, has none). */
export async function lockHolder(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim())
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
