import { readEventLog } from './event-log.js'
import type { RunEvent } from './events.js'
import { lockHolder } from './lock.js'
import { listRunIds, runPaths } from './paths.js'
import { foldEvents, humanDecisions, type RunState } from './state.js'

/** A run as `macds status` shows it. `stopped`: not finished and no process drives it (resume it). */
export interface RunSummary {
  run_id: string
  requirement: string
  status: RunState['status'] | 'stopped'
  message: string
  driven_by: number | undefined
  stages: { id: string; status: string; visit: number }[]
  decisions: ReturnType<typeof humanDecisions>
  tokens: number
  cost_usd: number
  state: RunState
}

/** Reads a run's log and folds it; a torn last line is tolerated. */
export async function readRunState(root: string, runId: string): Promise<RunState> {
  const { events } = await readEventLog(runPaths(root, runId).events)
  return foldEvents(events as unknown as RunEvent[])
}

/** Every run under `root`, newest first, with where it stands. */
export async function summarizeRuns(root: string): Promise<RunSummary[]> {
  const ids = (await listRunIds(root)).reverse()
  return Promise.all(ids.map((id) => summarizeRun(root, id)))
}

export async function summarizeRun(root: string, runId: string): Promise<RunSummary> {
  const state = await readRunState(root, runId)
  const driven_by = lockHolder(runPaths(root, runId).lock)
  const decisions = humanDecisions(state)
  const finished = state.status === 'passed' || state.status === 'failed'
  let status: RunSummary['status'] = state.status
  if (!finished && decisions.length > 0) status = 'awaiting_human'
  else if (!finished && state.status !== 'cancelled' && driven_by === undefined) status = 'stopped'
  return {
    run_id: runId,
    requirement: state.requirement,
    status,
    message: state.message,
    driven_by,
    stages: Object.entries(state.stages).map(([id, s]) => ({ id, status: s.status, visit: s.visit })),
    decisions,
    tokens: Object.values(state.tokens).reduce((a, b) => a + b, 0),
    cost_usd: state.cost_usd,
    state,
  }
}
