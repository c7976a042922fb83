import type { EvaluationConfig } from './config.js'
import type { ScoreBook } from './book.js'
import { DIMENSIONS, type Scores } from './types.js'

/**
 * How much an agent may do without a person, from its autonomy:
 *
 * - `supervised` (autonomy below `thresholds.low`): every accepted output of the agent waits at a
 *   gate for a person's approval, as if its definition said `requires_approval: true`.
 * - `standard`: the agent works as its definition says; the guards still send ChangeSets that touch
 *   protected paths or delete more than `guard.max_deleted_lines` lines to a gate.
 * - `trusted` (autonomy above `thresholds.high`): the agent gains this documented authority, and no
 *   more: its ChangeSets may delete more than `guard.max_deleted_lines` lines without a gate, and
 *   changes to protected paths that match a glob of `guard.trusted_may_change` need no gate. Paths
 *   outside its ACL, `.git`, symlinks and secrets stay refused, and every output is still validated
 *   against its contract; a gate its definition requires (`requires_approval`) still applies.
 */
export type AutonomyLevel = 'supervised' | 'standard' | 'trusted'

/** An agent's overall score, 0-100: the mean of its dimensions under the configured weights. */
export function weightedAverage(scores: Scores, weights: EvaluationConfig['weights']): number {
  let sum = 0
  let total = 0
  for (const d of DIMENSIONS) {
    sum += weights[d] * scores[d]
    total += weights[d]
  }
  return total === 0 ? 0 : sum / total
}

/** The scores the book holds for an agent; the prior on every dimension when it has none. */
export function standingScores(agentId: string, book: ScoreBook, config: EvaluationConfig): Scores {
  const standing = book.agents[agentId]
  if (standing) return standing.scores
  const p = config.prior
  return { correctness: p, efficiency: p, compliance: p, cost: p, stability: p }
}

/**
 * An agent's autonomy: `base_level × weighted_average(scores) / 100`, where the scores are the
 * moving averages of the book (the prior for an agent with no history) and base_level is
 * `base_levels[agentId]` (1.0 by default). With the defaults it lies between 0 and 1.
 */
export function autonomy(agentId: string, book: ScoreBook, config: EvaluationConfig): number {
  const base = config.base_levels[agentId] ?? 1
  return (base * weightedAverage(standingScores(agentId, book, config), config.weights)) / 100
}

/** The level of an autonomy value: below `low` supervised, above `high` trusted, otherwise standard. */
export function autonomyLevel(value: number, thresholds: EvaluationConfig['thresholds']): AutonomyLevel {
  if (value < thresholds.low) return 'supervised'
  if (value > thresholds.high) return 'trusted'
  return 'standard'
}

/** Points of overall score between the older and the newer half of the history that make a trend. */
export const TREND_POINTS = 3

/**
 * Where an agent's overall score is going: the mean of the newer half of its history against the
 * mean of the older half; `flat` with fewer than two runs or a difference under TREND_POINTS.
 */
export function trend(history: readonly number[]): 'up' | 'down' | 'flat' {
  if (history.length < 2) return 'flat'
  const half = Math.floor(history.length / 2)
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const change = mean(history.slice(history.length - half)) - mean(history.slice(0, half))
  if (change >= TREND_POINTS) return 'up'
  if (change <= -TREND_POINTS) return 'down'
  return 'flat'
}

/** An agent's standing from the book: its autonomy (rounded to 3 places), level, trend, runs and scores. */
export function agentStanding(agentId: string, book: ScoreBook, config: EvaluationConfig) {
  const value = autonomy(agentId, book, config)
  const history = book.agents[agentId]?.history ?? []
  return {
    value: Math.round(value * 1000) / 1000,
    level: autonomyLevel(value, config.thresholds),
    trend: trend(history.map((h) => h.overall)),
    runs: book.agents[agentId]?.runs ?? 0,
    scores: standingScores(agentId, book, config),
  }
}
