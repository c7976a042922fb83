import { join } from 'node:path'
import { acquireLock, releaseLock } from '../run/lock.js'
import { sleep } from '../sleep.js'
import { MacdsError } from '../errors.js'

/** How long a run waits for another run's integration before it gives up. */
const WAIT_MS = 10 * 60_000

/**
 * Runs `work` while holding the repository's integration lock (.macds/locks/integration), so that
 * two runs never move a target at once. A lock left by a dead process is taken over; a live holder is
 * waited for, until `signal` aborts (the wait then rejects with its reason, and nothing was done).
 */
export async function withRepositoryLock<T>(
  repo: string,
  work: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  // Runs of one process take turns here first: the lock file tells processes apart, not runs.
  const before = turns.get(repo) ?? Promise.resolve()
  const mine = before.then(() => holdingFile(repo, work, signal))
  const settled = mine.then(
    () => undefined,
    () => undefined,
  )
  turns.set(repo, settled)
  void settled.then(() => {
    if (turns.get(repo) === settled) turns.delete(repo)
  })
  return mine
}

const turns = new Map<string, Promise<void>>()

async function holdingFile<T>(repo: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const file = join(repo, '.macds', 'locks', 'integration')
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    try {
      acquireLock(file, 'integration')
      break
    } catch (error) {
      if (!(error instanceof MacdsError) || error.code !== 'RUN_LOCKED' || Date.now() > deadline) throw error
      await sleep(50 + Math.random() * 100, signal)
    }
  }
  try {
    return await work()
  } finally {
    releaseLock(file)
  }
}
