import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunDeps } from '../../src/core/run/context.js'
import { resumeRun, startRun } from '../../src/core/run/driver.js'
import { readEventLog } from '../../src/core/run/event-log.js'
import { instantProvider, tinyProject } from '../helpers/tiny-project.js'
import { type GraphNode, median } from './graphs.js'

const OPTIONS = { provider: 'scripted', script: undefined, approve: 'auto' } as const

let runs = 0

/** Runs the workflow of `deps` to its end; throws unless every stage passed. Returns the run id. */
export async function runToEnd(deps: RunDeps): Promise<string> {
  const runId = `bench-${process.pid}-${++runs}`
  const { state } = await startRun('benchmark the run engine', OPTIONS, deps, runId)
  if (state.status !== 'passed')
    throw new Error(`the benchmark run ${runId} ended ${state.status}: ${state.message}`)
  return runId
}

/** What one run of a benchmark workflow took, in milliseconds. */
interface RunTimes {
  /** startRun to its return: the lock, the log's creation, every stage, the last write. */
  wall: number
  /**
   * The end of the first stage to the end of the last: the N - 1 transitions after the first stage,
   * events included. Like the marginal cost (T(N) - T(1)) / (N - 1) of the baselines, this leaves out
   * what every run does once, whatever its size: its start, the first stage (right after the run's
   * I/O, with cold caches) and its end (run.finished, the last write, the lock's removal), all of which
   * count with the fixed cost.
   */
  stages: number
}

/**
 * Runs the workflow of `deps` to its end and times it (see RunTimes). The log serializes events when
 * it writes them, or when a listener asks for a line (as `macds run --json` does). With `lines`, the
 * listener asks as each stage passes, so that serializing the stage's events falls inside the window
 * of the stages; without, it asks for none, like the plain reporter and the supervisor.
 */
async function timedRun(deps: RunDeps, lines: boolean): Promise<RunTimes> {
  let first = Number.NaN
  let last = Number.NaN
  deps.listeners = [
    (event, _state, line) => {
      if (event.type !== 'stage.passed') return
      if (lines) line()
      last = performance.now()
      if (Number.isNaN(first)) first = last
    },
  ]
  const start = performance.now()
  await runToEnd(deps)
  return { wall: performance.now() - start, stages: last - first }
}

/**
 * Runs of `graph` after `warmUps` untimed ones, in milliseconds: the median wall time of a whole run,
 * the median time of its stages after the first (see RunTimes), and the fixed cost of a run (the
 * median of wall minus those stages).
 * The project lives in `dir`, removed afterwards.
 */
export async function benchEngineRun(
  dir: string,
  graph: readonly GraphNode[],
  options: { runs: number; warmUps?: number; concurrency?: number; delayMs?: number; lines?: boolean },
): Promise<{ ms: number; stagesMs: number; fixedMs: number }> {
  const deps = await tinyProject(dir, graph, options.concurrency ?? 4, instantProvider(options.delayMs))
  try {
    for (let i = 0; i < (options.warmUps ?? 1); i++) await runToEnd(deps)
    const times: RunTimes[] = []
    for (let i = 0; i < options.runs; i++) times.push(await timedRun(deps, options.lines === true))
    return {
      ms: median(times.map((t) => t.wall)),
      stagesMs: median(times.map((t) => t.stages)),
      fixedMs: median(times.map((t) => t.wall - t.stages)),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * `resumeRun` of a finished run of `graph` (it reads and folds the log, then returns), median of
 * `runs` in milliseconds; and reading the same log alone, for comparison.
 */
export async function benchResume(
  dir: string,
  graph: readonly GraphNode[],
  runs: number,
): Promise<{ resumeMs: number; readMs: number; events: number }> {
  const deps = await tinyProject(dir, graph, 4, instantProvider())
  try {
    const runId = await runToEnd(deps)
    const file = join(dir, '.macds', 'runs', runId, 'events.jsonl')
    const { events } = await readEventLog(file)
    const resumeTimes: number[] = []
    const readTimes: number[] = []
    for (let i = 0; i < runs + 1; i++) {
      let start = performance.now()
      const { state } = await resumeRun(runId, deps)
      const resumeMs = performance.now() - start
      if (state.status !== 'passed') throw new Error(`the resumed run ended ${state.status}`)
      start = performance.now()
      await readEventLog(file)
      const readMs = performance.now() - start
      if (i === 0) continue // warm-up
      resumeTimes.push(resumeMs)
      readTimes.push(readMs)
    }
    return { resumeMs: median(resumeTimes), readMs: median(readTimes), events: events.length }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
