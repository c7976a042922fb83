import { statSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AgentDefinition } from '../agents/types.js'
import { userError } from '../errors.js'
import { runPaths } from '../run/paths.js'
import { stateDir } from '../state-dir.js'
import { type ScoreBook, bookProblem, emptyBook, updateScores } from './book.js'
import type { EvaluationConfig } from './config.js'
import { readScoredEvents } from './read-log.js'
import { scoreRun } from './score.js'

/** Where the book lives: memory/scores.json when shared with the team, .macds/scores.json when local. */
export function scoresPath(root: string, config: Pick<EvaluationConfig, 'shared'>): string {
  return config.shared ? join(root, 'memory', 'scores.json') : join(root, '.macds', 'scores.json')
}

/** Reads the book under `root` (an empty one when there is none); a damaged file is SCORES_INVALID. */
export async function loadScores(root: string, config: Pick<EvaluationConfig, 'shared'>): Promise<ScoreBook> {
  const file = scoresPath(root, config)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyBook()
    throw error
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw invalid(file, 'it is not valid JSON', error)
  }
  const problem = bookProblem(value)
  if (problem) throw invalid(file, problem)
  return value as ScoreBook
}

/**
 * Writes the book under `root` atomically (a temporary file renamed over it), as stable,
 * diff-friendly JSON. With `shared` it is memory/scores.json, which macds writes but never commits:
 * the team commits it.
 */
export async function saveScores(
  root: string,
  config: Pick<EvaluationConfig, 'shared'>,
  book: ScoreBook,
): Promise<void> {
  const file = scoresPath(root, config)
  if (config.shared) await mkdir(dirname(file), { recursive: true })
  else await stateDir(root)
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(book, null, 2)}\n`)
  await rename(temporary, file)
}

/**
 * Scores a finished run from its log and records it in the book under `root` (`logRoot` holds
 * .macds/runs when the book is written elsewhere, such as into the run's worktree). Processes
 * recording at once take turns through .macds/scores.lock; recording a run twice changes nothing.
 * Returns the book as saved.
 */
export async function recordRunScores(
  root: string,
  runId: string,
  options: {
    agents: readonly Pick<AgentDefinition, 'id' | 'budgets'>[]
    config: EvaluationConfig
    logRoot?: string
  },
): Promise<ScoreBook> {
  const events = await readScoredEvents(runPaths(options.logRoot ?? root, runId).events)
  const scores = scoreRun(events, options.agents)
  // The lock lives in local state, never next to a tracked book.
  const lock = join(await stateDir(options.logRoot ?? root), 'scores.lock')
  return withLock(lock, async () => {
    const book = updateScores(await loadScores(root, options.config), scores, runId, options.config)
    await saveScores(root, options.config, book)
    return book
  })
}

const LOCK_WAIT_MS = 5000
const LOCK_STALE_MS = 30_000

/**
 * Runs `fn` holding a lock file (created exclusively). A lock older than LOCK_STALE_MS, or still held
 * after LOCK_WAIT_MS, is taken over: a process that died holding it must not block recording for good.
 */
async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true })
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (Date.now() > deadline || stale(file)) await rm(file, { force: true })
      else await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  try {
    return await fn()
  } finally {
    await rm(file, { force: true })
  }
}

/** Whether a lock file was left long ago (by a process that died holding it). */
function stale(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > LOCK_STALE_MS
  } catch {
    return false
  }
}

function invalid(file: string, reason: string, cause?: unknown) {
  const restore = file.endsWith(join('memory', 'scores.json'))
    ? 'Restore it from git, or delete it'
    : 'Delete it'
  return userError(
    'SCORES_INVALID',
    `The score book ${file} is damaged: ${reason}.`,
    `${restore} to start the scores again.`,
    cause,
  )
}
