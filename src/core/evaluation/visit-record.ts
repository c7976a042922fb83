import type { FailureReason } from '../agents/events.js'
import type { RunEvent } from '../run/events.js'

/** A run event as the log holds it; `ts` (when present) times the agents' work. */
export type ScoredEvent = RunEvent & { ts?: string }

/**
 * Weights of the evidence about an accepted output, for and against it; correctness is the share of
 * the evidence that speaks for it. "Judges" of a stage are the stages whose failure route re-opens
 * it (review, build_test and integration judge implementation; final_approval judges architecture).
 */
export const EVIDENCE = {
  /** For: the contract accepted the output. */
  accepted: 1,
  /** For: the output passed its stage (directly, through a gate or through a ruling). */
  passed: 1,
  /** For: a judge of the stage passed while this output was current (review approved, tests passed). */
  judge_passed: 1,
  /** For: a gate on the output was approved. */
  gate_approved: 2,
  /** For: an escalation ruling upheld this agent. */
  ruled_for: 1,
  /** Against: a later failure, ruling or answer re-opened the stage while this output was current. */
  reopened: 4,
  /** Against: a gate on the output was rejected. */
  gate_rejected: 6,
  /** Against: an escalation the agent was involved in upheld another agent. */
  ruled_against: 4,
} as const

/** Agent failures that say nothing about the agent: its input was invalid, the provider failed, the run was cancelled. */
export const NOT_THE_AGENTS: ReadonlySet<FailureReason> = new Set(['input_invalid', 'provider', 'cancelled'])

/** What one agent did in one stage visit (and task), gathered from the run's events. */
export interface VisitRecord {
  agent: string
  stage: string
  visit: number
  task?: string
  attempts: number
  calls: number
  tokens: number
  cost_usd: number
  /** The server model of the last attempt. */
  model: string | undefined
  /** First and last agent event of the visit, in epoch milliseconds, when the events carry `ts`. */
  start_ms: number | undefined
  end_ms: number | undefined
  /** Violations of the first answer (attempt 1). */
  first_errors: number
  first_warnings: number
  /** `open`: no outcome logged (the process stopped); `excluded`: discarded, or failed through no fault of the agent. */
  outcome: 'open' | 'accepted' | 'failed' | 'excluded'
  failure?: FailureReason
  evidence: { for: number; against: number }
  /** Times the stage was re-opened while this visit's output was current. */
  reversals: number
}

/** A record of a visit with nothing done yet. */
export function newRecord(
  scope: { agent: string; stage: string; task?: string },
  visit: number,
): VisitRecord {
  return {
    agent: scope.agent,
    stage: scope.stage,
    visit,
    ...(scope.task === undefined ? {} : { task: scope.task }),
    attempts: 0,
    calls: 0,
    tokens: 0,
    cost_usd: 0,
    model: undefined,
    start_ms: undefined,
    end_ms: undefined,
    first_errors: 0,
    first_warnings: 0,
    outcome: 'open',
    evidence: { for: 0, against: 0 },
    reversals: 0,
  }
}
