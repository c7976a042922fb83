import type { AgentEvent, FailureReason } from '../agents/events.js'
import type { ContractEvent } from '../contracts/registry.js'
import type { Violation } from '../contracts/types.js'
import type { AutonomyLevel } from '../evaluation/autonomy.js'
import type { Workflow } from '../workflow/types.js'
import type { IntegrationPlan, WorkspaceInfo } from './workspace.js'

/** How a run ends, or where it stands. */
export type RunStatus = 'running' | 'awaiting_human' | 'passed' | 'failed' | 'cancelled'

/** How far an agent may act alone: its measured autonomy (0..1) and what that level allows. */
export interface Autonomy {
  value: number
  /** supervised: its decisions wait for a person; trusted: the guard waives what guard.trusted_may_change allows. */
  level: AutonomyLevel
}

/** What the command line chose for a run; kept in the log so that a resumed run behaves the same. */
export interface RunOptions {
  provider: string
  script: string | undefined
  approve: 'ask' | 'auto' | 'reject'
  /** Move the target when the run passes (false: --no-merge, the run branch is left validated). */
  merge?: boolean
  /** Keep the run branch of a failed or cancelled run (false: --no-keep deletes it). */
  keep?: boolean
}

/** What a re-opened stage is told about the failure that re-opened it. */
export interface FailureContext {
  source_stage: string
  summary: string
  attempt: number
  [detail: string]: unknown
}

/** A disagreement between agents, as the escalation contract receives it. */
export interface Conflict {
  id: string
  topic: string
  kind: 'loop_budget_spent' | 'review_rejected_twice' | 'requirement_infeasible' | 'disagreement'
  stage: string
  agents: { agent: string; authority: number; position: string }[]
  evidence: { source: string; summary: string }[]
}

/** Who settles a conflict: an agent that outranks everyone involved, or a person. */
export type Arbiter = { agent: string; authority: number } | 'human'

/**
 * What happens to the run after a stage fails, a gate is answered or a conflict is ruled. It travels
 * inside the event that causes it, so that one event is one state transition and a crash can never
 * separate a decision from its consequence.
 */
export type Next =
  | { kind: 'pass'; stage: string; output: unknown }
  | { kind: 'rerun'; stage: string; feedback: string }
  | {
      kind: 'reopen'
      stage: string
      from: string
      loop: number
      budget: number
      context: FailureContext
      /** Extra loops a ruling grants to the route of `from`. */
      extra_loop?: number
    }
  | { kind: 'escalate'; escalation_id: string; conflict: Conflict; arbiter: Arbiter }
  | { kind: 'fail_run'; message: string }

/** Why a stage failed. */
export type StageFailure = FailureReason | 'verdict' | 'gate_rejected' | 'error'

/**
 * Everything a run records, one per line of events.jsonl. The run's state is a fold of these
 * (see state.ts); agent events are logged as the runtime emits them.
 */
export type RunEvent =
  | {
      type: 'run.started'
      run_id: string
      requirement: string
      root: string
      workflow: Workflow
      options: RunOptions
      /** The run's branch and worktree; absent when effects are only recorded (no git repository). */
      workspace?: WorkspaceInfo
      /** Each agent's autonomy when the run started; a resumed run keeps these. */
      autonomy?: Record<string, Autonomy>
    }
  | { type: 'run.resumed'; run_id: string }
  | { type: 'stage.started'; stage: string; agent: string; visit: number }
  | { type: 'stage.passed'; stage: string; agent: string; visit: number; output: unknown }
  | {
      type: 'stage.failed'
      stage: string
      agent: string
      visit: number
      reason: StageFailure
      message: string
      output?: unknown
      violations?: Violation[]
      /** The ChangeSet a review rejected outright; a second rejection of the same one is a conflict. */
      rejected_changeset?: string
      next: Next
    }
  | { type: 'stage.discarded'; stage: string; visit: number }
  | {
      /** Memory notes put in an agent's prompt for a stage (and task), strongest first. */
      type: 'memory.recalled'
      stage: string
      agent: string
      visit: number
      task?: string
      ids: string[]
    }
  | {
      /** The repository text a stage's prompt was given: each item and its estimated tokens, within the budget. */
      type: 'stage.context'
      stage: string
      agent: string
      visit: number
      budget: number
      tokens: number
      items: { kind: string; name: string; tokens: number }[]
      left_out: string[]
    }
  | {
      type: 'effect.recorded'
      stage: string
      agent: string
      /** format: what the pipeline's format step rewrote; memory: notes of shared memory scopes. */
      kind: 'artifact' | 'changeset' | 'format' | 'memory'
      name: string
      detail: string
      /** For a ChangeSet: the commit it became and its diff. */
      commit?: string
      diff?: string
      /** For a ruling appended to DESIGN_DECISIONS.log: the escalation it settled. */
      escalation_id?: string
    }
  | {
      type: 'gate.requested'
      gate_id: string
      stage: string
      agent: string
      visit: number
      output: unknown
      summary: string
      /** Why a person must decide although the agent may act alone (a protected path, say). */
      reasons?: string[]
    }
  | {
      type: 'gate.answered'
      gate_id: string
      decision: 'approve' | 'reject'
      reason?: string
      by: string
      next: Next
    }
  | {
      type: 'escalation.ruled'
      escalation_id: string
      ruling: 'uphold' | 'require_change' | 'abort'
      by: string
      rationale: string
      upheld_agent?: string
      next: Next
    }
  | {
      /** The validation pipeline ran in the worktree for a stage (full logs under the run's directory). */
      type: 'pipeline.finished'
      stage: string
      passed: boolean
      steps: { name: string; exit_code: number; timed_out: boolean; duration_ms: number; flaky?: boolean }[]
    }
  | ({ type: 'integration.started' } & IntegrationPlan)
  | { type: 'integration.finished'; status: 'merged' | 'kept' | 'failed' | 'recorded'; message: string }
  | { type: 'run.finished'; status: 'passed' | 'failed'; message: string }
  | { type: 'run.cancelled'; message: string }
  | AgentEvent
  | ContractEvent

export type RunEventType = RunEvent['type']
