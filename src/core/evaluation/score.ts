import { type AgentBudgets, type AgentDefinition, DEFAULT_BUDGETS } from '../agents/types.js'
import { collectVisits, type ScoredEvent, type VisitRecord } from './visits.js'
import { DIMENSIONS, type RunScores, type Scores, type VisitScore } from './types.js'

/** Points a first answer loses per violation, by severity (info costs nothing). */
export const VIOLATION_COST = { error: 25, warning: 5 } as const
/** Stability points lost when every repair was used, and per reversal of the stage. */
export const REPAIR_COST = 60
export const REVERSAL_COST = 40

const clamp = (n: number) => Math.min(100, Math.max(0, n))
const round = (n: number) => Math.round(n * 10) / 10

/**
 * Correctness: whether the output held up downstream. A visit that gave up (violations, budget)
 * scores 0; otherwise the share of the evidence for its output (accepted, passed its stage, judges
 * passed, gates approved, rulings for it) against all evidence (re-opened, gates rejected, rulings
 * against it), weighed as in EVIDENCE.
 */
export function correctnessScore(evidence: { for: number; against: number }, failed = false): number {
  const all = evidence.for + evidence.against
  if (failed) return 0
  return all === 0 ? 100 : (100 * evidence.for) / all
}

/**
 * Efficiency: calls and time against the budget. Calls: 100 for one call, losing
 * 100 / calls_per_stage per extra call. Time (when known): the share of the deadline left, where the
 * deadline is seconds_per_call for each call made. The mean of the two; 0 for a visit that gave up
 * (violations, budget), whose calls bought nothing.
 */
export function efficiencyScore(
  calls: number,
  seconds: number | undefined,
  budgets: Pick<AgentBudgets, 'calls_per_stage' | 'seconds_per_call'>,
  wasted = false,
): number {
  if (wasted) return 0
  const byCalls = clamp(100 * (1 - Math.max(0, calls - 1) / Math.max(1, budgets.calls_per_stage)))
  if (seconds === undefined) return byCalls
  const byTime = clamp(100 * (1 - seconds / (budgets.seconds_per_call * Math.max(1, calls))))
  return (byCalls + byTime) / 2
}

/** Compliance: 100 for a first answer without violations, less VIOLATION_COST per error and warning. */
export function complianceScore(errors: number, warnings: number): number {
  return clamp(100 - VIOLATION_COST.error * errors - VIOLATION_COST.warning * warnings)
}

/** Cost: the share of the agent's run budget (tokens_per_run) the visit left unspent; 0 for a visit that gave up. */
export function costScore(
  tokens: number,
  budgets: Pick<AgentBudgets, 'tokens_per_run'>,
  wasted = false,
): number {
  if (wasted) return 0
  return clamp(100 * (1 - tokens / Math.max(1, budgets.tokens_per_run)))
}

/** Stability: 100, less REPAIR_COST × the share of max_repairs used and REVERSAL_COST per re-open of the stage. */
export function stabilityScore(
  repairs: number,
  reversals: number,
  budgets: Pick<AgentBudgets, 'max_repairs'>,
): number {
  const used = Math.min(1, repairs / Math.max(1, budgets.max_repairs))
  return clamp(100 - REPAIR_COST * used - REVERSAL_COST * reversals)
}

/** The five scores of one visit, under the agent's budgets. */
export function scoreVisit(record: VisitRecord, budgets: AgentBudgets): Scores {
  const wasted = record.outcome === 'failed'
  const { start_ms, end_ms } = record
  const seconds = start_ms === undefined || end_ms === undefined ? undefined : (end_ms - start_ms) / 1000
  return {
    correctness: round(correctnessScore(record.evidence, wasted)),
    efficiency: round(efficiencyScore(record.calls, seconds, budgets, wasted)),
    compliance: round(complianceScore(record.first_errors, record.first_warnings)),
    cost: round(costScore(record.tokens, budgets, wasted)),
    stability: round(stabilityScore(Math.max(0, record.attempts - 1), record.reversals, budgets)),
  }
}

/**
 * Scores every agent visit of a run from its events: per agent, stage visit and (when the events
 * carry one) architecture task. Visits with no outcome, discarded ones, and failures that are not the
 * agent's doing (invalid input, provider errors, cancellation) are not scored. Agents not in `agents`
 * are scored under the default budgets.
 */
export function scoreRun(
  events: Iterable<ScoredEvent>,
  agents: readonly Pick<AgentDefinition, 'id' | 'budgets'>[],
): RunScores {
  const list = [...events]
  const first = list[0]
  return scoreVisits(first?.type === 'run.started' ? first.run_id : '', collectVisits(list), agents)
}

/** Like {@link scoreRun}, from visits already collected. */
export function scoreVisits(
  run_id: string,
  records: readonly VisitRecord[],
  agents: readonly Pick<AgentDefinition, 'id' | 'budgets'>[],
): RunScores {
  const budgets = new Map(agents.map((a) => [a.id, a.budgets]))
  const visits: VisitScore[] = []
  for (const r of records) {
    if (r.outcome !== 'accepted' && r.outcome !== 'failed') continue
    const scores = scoreVisit(r, budgets.get(r.agent) ?? DEFAULT_BUDGETS)
    const { agent, stage, visit, calls, attempts, tokens, cost_usd, outcome } = r
    const task = r.task === undefined ? {} : { task: r.task }
    visits.push({ agent, stage, visit, ...task, scores, calls, attempts, tokens, cost_usd, outcome })
  }
  return { run_id, visits, agents: meanByAgent(visits) }
}

/** The mean of each dimension over each agent's visits. */
export function meanByAgent(visits: readonly VisitScore[]): Record<string, Scores> {
  const sums = new Map<string, { scores: Scores; n: number }>()
  for (const v of visits) {
    const sum = sums.get(v.agent) ?? { scores: zero(), n: 0 }
    for (const d of DIMENSIONS) sum.scores[d] += v.scores[d]
    sum.n++
    sums.set(v.agent, sum)
  }
  const out: Record<string, Scores> = {}
  for (const [agent, { scores, n }] of sums) {
    out[agent] = zero()
    for (const d of DIMENSIONS) out[agent][d] = round(scores[d] / n)
  }
  return out
}

function zero(): Scores {
  return { correctness: 0, efficiency: 0, compliance: 0, cost: 0, stability: 0 }
}
