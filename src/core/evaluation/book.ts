import { weightedAverage } from './autonomy.js'
import type { EvaluationConfig } from './config.js'
import { DIMENSIONS, type RunScores, type Scores } from './types.js'

/** Runs kept in an agent's history, for its trend. */
export const HISTORY_LENGTH = 20
/** Run ids the book remembers, so that recording a run twice changes nothing. */
export const RUNS_KEPT = 1000

/** What the book holds for one agent. */
export interface AgentStanding {
  /** The exponential moving average of each dimension over the agent's runs, started at the prior. */
  scores: Scores
  /** Runs the agent was scored in. */
  runs: number
  /** The agent's mean scores and overall score in each of its latest runs, oldest first. */
  history: { run_id: string; scores: Scores; overall: number }[]
}

/** Every agent's standing across runs, as kept in memory/scores.json or .macds/scores.json. */
export interface ScoreBook {
  version: 1
  agents: Record<string, AgentStanding>
  /** Ids of the runs recorded, sorted (run ids sort by start time), the newest RUNS_KEPT at most. */
  runs: string[]
}

export function emptyBook(): ScoreBook {
  return { version: 1, agents: {}, runs: [] }
}

/** Whether the book has recorded a run: remembered, or older than every run it still remembers. */
export function hasRecorded(book: ScoreBook, runId: string): boolean {
  if (book.runs.includes(runId)) return true
  return book.runs.length >= RUNS_KEPT && runId < (book.runs[0] ?? '')
}

/**
 * The book after one more run: each agent scored in the run moves every dimension's moving
 * average by `smoothing` towards its mean score in the run (`new = s × run + (1 − s) × old`, where
 * `old` is the prior for an agent with no history), and gains a history entry. Pure; a run already
 * recorded returns the book unchanged.
 */
export function updateScores(
  book: ScoreBook,
  runScores: RunScores,
  runId: string,
  config: EvaluationConfig,
): ScoreBook {
  if (hasRecorded(book, runId) || Object.keys(runScores.agents).length === 0) return book
  const agents = { ...book.agents }
  const s = config.smoothing
  for (const [agent, run] of Object.entries(runScores.agents)) {
    const before = agents[agent]
    const scores = {} as Scores
    for (const d of DIMENSIONS) {
      const old = before?.scores[d] ?? config.prior
      scores[d] = Math.round((s * run[d] + (1 - s) * old) * 10) / 10
    }
    const overall = Math.round(weightedAverage(run, config.weights) * 10) / 10
    const history = [...(before?.history ?? []), { run_id: runId, scores: run, overall }]
    agents[agent] = { scores, runs: (before?.runs ?? 0) + 1, history: history.slice(-HISTORY_LENGTH) }
  }
  const runs = [...book.runs, runId].sort().slice(-RUNS_KEPT)
  return { version: 1, agents, runs }
}

/** Whether a parsed value is a score book; the reason when it is not. */
export function bookProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'it is not a JSON object'
  const book = value as Partial<ScoreBook>
  if (book.version !== 1) return `its version is ${JSON.stringify(book.version)}, not 1`
  if (!Array.isArray(book.runs)) return 'it has no "runs" list'
  if (typeof book.agents !== 'object' || book.agents === null) return 'it has no "agents" object'
  for (const [id, standing] of Object.entries(book.agents)) {
    const scores = (standing as Partial<AgentStanding> | null)?.scores
    if (!scores || DIMENSIONS.some((d) => typeof scores[d] !== 'number'))
      return `agent "${id}" has no number for every dimension`
    if (!Array.isArray(standing.history)) return `agent "${id}" has no "history" list`
  }
  return undefined
}
