import type { AutonomyLevel } from './autonomy.js'
import type { Scores } from './types.js'

/** Tokens, cost and model calls. */
export interface Usage {
  tokens: number
  cost_usd: number
  calls: number
}

/** `count` out of `of`; `value` is their ratio, null when `of` is 0. */
export interface Rate {
  value: number | null
  count: number
  of: number
}

/** One agent in a report: how it did in the reported runs, and where it stands across runs. */
export interface AgentReport {
  agent: string
  authority: number | undefined
  /** Runs and visits of the reported runs the agent was scored in, its mean scores and overall score there. */
  runs: number
  visits: number
  scores: Scores | undefined
  overall: number | undefined
  /** From the score book, with the reported runs it has not recorded yet folded in. */
  standing: {
    scores: Scores
    overall: number
    runs: number
    autonomy: number
    level: AutonomyLevel
    trend: 'up' | 'down' | 'flat'
    /** Overall score in each run of the history, oldest first. */
    history: number[]
  }
}

export interface GateItem {
  run_id: string
  gate_id: string
  stage: string
  agent: string
  status: 'pending' | 'approved' | 'rejected'
  by?: string
  /** The answer came from a person (`by` is not an agent id). */
  person?: boolean
  reason?: string
}

export interface EscalationItem {
  run_id: string
  escalation_id: string
  stage: string
  kind: string
  topic: string
  agents: string[]
  /** An agent id, or `human`. */
  arbiter: string
  status: 'pending' | 'ruled'
  ruling?: string
  by?: string
  upheld_agent?: string
  rationale?: string
}

/** The figures of the whole system over the reported runs. */
export interface SystemFigures {
  runs: number
  /** Runs merged / runs that reached integration (runs started with --no-merge left out). */
  integration_success: Rate
  /** Attempts whose answer had error violations / attempts. */
  contract_violations: Rate
  /** Runs merged with no decision by a person (gate answer or ruling) / runs. */
  unsupervised_completion: Rate
  /** Stage re-opens / runs (`value` is re-opens per run). */
  rollbacks_per_run: Rate
  /** Agents that gave up on a spent budget / stage visits. */
  budget_exceeded: Rate
  /** Violations of the ChangeSet and artifact guards (rule ids CS-*, ARTIFACT-*) that blocked an answer. */
  guard_blocks: number
  /** Model calls served by the `fast` model of macds.yaml / calls. */
  fast_model_calls: Rate
}

/** What `macds report` shows: scores, autonomy, usage, violations, decisions and system figures. */
export interface Report {
  scope: { run_id: string | undefined; runs: number; first: string | undefined; last: string | undefined }
  agents: AgentReport[]
  usage: {
    total: Usage
    by_agent: Record<string, Usage>
    by_stage: Record<string, Usage>
    /** Usage of stage visits after the first (rework loops), in total and by stage. */
    rework: { total: Usage; by_stage: Record<string, Usage> }
  }
  violations: { rule_id: string; severity: string; count: number; agents: Record<string, number> }[]
  escalations: { total: number; by_ruling: Record<string, number>; items: EscalationItem[] }
  gates: {
    approved: number
    rejected: number
    pending: number
    by: Record<string, { approved: number; rejected: number }>
    items: GateItem[]
  }
  system: SystemFigures
  /** Where the score book is, and how many reported runs it had not recorded yet. */
  book: { file: string; pending_runs: number }
  /** Runs whose logs could not be read, and why; they are left out of everything else. */
  problems: { run_id: string; message: string }[]
}
