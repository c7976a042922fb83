import { downstream } from '../workflow/check.js'
import type { IntegrationPlan, WorkspaceInfo } from './workspace.js'
import type { Workflow } from '../workflow/types.js'
import type {
  Arbiter,
  Autonomy,
  Conflict,
  FailureContext,
  Next,
  RunEvent,
  RunOptions,
  RunStatus,
  StageFailure,
} from './events.js'

/** A stage's state; `visit` counts how many times it has started. */
export type StageState =
  | { status: 'pending'; visit: number }
  | { status: 'running'; visit: number }
  | { status: 'awaiting_gate'; visit: number; gate_id: string }
  | { status: 'passed'; visit: number }
  | { status: 'failed'; visit: number; reason: StageFailure; message: string }
  | { status: 'skipped'; visit: number; reason: string }

export interface Gate {
  gate_id: string
  stage: string
  agent: string
  visit: number
  summary: string
  output: unknown
  status: 'pending' | 'approved' | 'rejected'
  reason?: string
}

export interface Escalation {
  escalation_id: string
  conflict: Conflict
  arbiter: Arbiter
  status: 'pending' | 'ruled'
  ruling?: string
  /** Who ruled and why, as the ruling said. */
  by?: string
  rationale?: string
  /** The ruling has been appended to DESIGN_DECISIONS.log. */
  logged?: boolean
}

/** Everything known about a run: a fold of its events. */
export interface RunState {
  run_id: string
  requirement: string
  root: string
  workflow: Workflow
  options: RunOptions
  status: RunStatus
  message: string
  stages: Record<string, StageState>
  /** The last accepted output of each stage (also of a stage whose verdict failed). */
  outputs: Record<string, unknown>
  /** Times each failing stage has re-opened its route, and extra loops granted by rulings. */
  loops: Record<string, number>
  extra_loops: Record<string, number>
  /** What the next visit of a stage is told: why it was re-opened, and gate feedback. */
  contexts: Record<string, FailureContext>
  feedback: Record<string, string[]>
  gates: Record<string, Gate>
  escalations: Record<string, Escalation>
  /** The latest ChangeSet of each stage that produced one. */
  changesets: Record<string, { id: string; intent: string; commit: string; diff: string }>
  /** How many times a review rejected each ChangeSet outright. */
  rejected: Record<string, number>
  /** The run's branch and worktree (absent: effects are recorded, not applied). */
  workspace: WorkspaceInfo | undefined
  /** Each agent's autonomy when the run started. */
  autonomy: Record<string, Autonomy>
  /** The commit of the last effect recorded on the run branch; a resumed run starts again from it. */
  head: string | undefined
  /** The move of the target logged before it was made, and how integration ended. */
  integration: {
    plan?: IntegrationPlan
    status?: 'merged' | 'kept' | 'failed' | 'recorded'
    message?: string
  }
  /** Tokens used by each agent. */
  tokens: Record<string, number>
  cost_usd: number
  events: number
}

/** The state before any event: every stage pending. */
export function initialState(event: Extract<RunEvent, { type: 'run.started' }>): RunState {
  const stages: Record<string, StageState> = {}
  for (const stage of event.workflow.stages) stages[stage.id] = { status: 'pending', visit: 0 }
  return {
    run_id: event.run_id,
    requirement: event.requirement,
    root: event.root,
    workflow: event.workflow,
    options: event.options,
    status: 'running',
    message: '',
    stages,
    outputs: {},
    loops: {},
    extra_loops: {},
    contexts: {},
    feedback: {},
    gates: {},
    escalations: {},
    changesets: {},
    rejected: {},
    workspace: event.workspace,
    autonomy: event.autonomy ?? {},
    head: event.workspace?.base,
    integration: {},
    tokens: {},
    cost_usd: 0,
    events: 1,
  }
}

/** Folds a run's events into its state; the first event must be run.started. */
export function foldEvents(events: readonly RunEvent[]): RunState {
  const [first, ...rest] = events
  if (first?.type !== 'run.started') throw new Error('a run log must start with run.started')
  const state = initialState(first)
  for (const event of rest) applyEvent(state, event)
  return state
}

/** Applies one event to the state, in place. Pure in effect: the same events always give the same state. */
export function applyEvent(state: RunState, event: RunEvent): void {
  state.events++
  switch (event.type) {
    case 'run.started':
    case 'stage.discarded':
    case 'stage.context':
    case 'agent.attempt_started':
    case 'agent.tool_called':
    case 'agent.tools_unavailable':
    case 'agent.violations':
    case 'agent.repaired':
    case 'agent.accepted':
    case 'agent.failed':
    case 'pipeline.finished':
    case 'memory.recalled':
    case 'contract.loaded':
    case 'contract.reloaded':
    case 'contract.invalid':
    case 'contract.removed':
      return
    case 'run.resumed':
      // A stage that was in flight when the process stopped runs again.
      if (state.status === 'cancelled' || state.status === 'awaiting_human') state.status = 'running'
      for (const [id, stage] of Object.entries(state.stages)) {
        if (stage.status === 'running') state.stages[id] = { status: 'pending', visit: stage.visit }
      }
      return
    case 'agent.output_received':
      state.tokens[event.agent] =
        (state.tokens[event.agent] ?? 0) + event.usage.prompt_tokens + event.usage.completion_tokens
      state.cost_usd += event.cost_usd
      return
    case 'effect.recorded':
      if (event.commit && state.workspace) state.head = event.commit
      if (event.escalation_id) {
        const escalation = state.escalations[event.escalation_id]
        if (escalation) escalation.logged = true
      }
      if (event.kind === 'changeset') {
        const { name: id, detail: intent, commit = '', diff = '' } = event
        state.changesets[event.stage] = { id, intent, commit, diff }
      }
      return
    case 'stage.started':
      state.stages[event.stage] = { status: 'running', visit: event.visit }
      return
    case 'stage.passed':
      state.stages[event.stage] = { status: 'passed', visit: event.visit }
      state.outputs[event.stage] = event.output
      return
    case 'stage.failed':
      state.stages[event.stage] = {
        status: 'failed',
        visit: event.visit,
        reason: event.reason,
        message: event.message,
      }
      if (event.output !== undefined) state.outputs[event.stage] = event.output
      if (event.rejected_changeset) {
        state.rejected[event.rejected_changeset] = (state.rejected[event.rejected_changeset] ?? 0) + 1
      }
      applyNext(state, event.next)
      return
    case 'gate.requested':
      state.stages[event.stage] = { status: 'awaiting_gate', visit: event.visit, gate_id: event.gate_id }
      state.gates[event.gate_id] = { ...event, status: 'pending' }
      state.outputs[event.stage] = event.output
      return
    case 'gate.answered': {
      const gate = state.gates[event.gate_id]
      if (gate)
        Object.assign(gate, {
          status: event.decision === 'approve' ? 'approved' : 'rejected',
          reason: event.reason,
        })
      applyNext(state, event.next)
      return
    }
    case 'escalation.ruled': {
      const escalation = state.escalations[event.escalation_id]
      if (escalation) {
        const { ruling, by, rationale } = event
        Object.assign(escalation, { status: 'ruled', ruling, by, rationale })
      }
      applyNext(state, event.next)
      return
    }
    case 'run.finished':
      state.status = event.status
      state.message = event.message
      for (const [id, stage] of Object.entries(state.stages)) {
        if (stage.status === 'pending')
          state.stages[id] = { status: 'skipped', visit: stage.visit, reason: event.message }
      }
      return
    case 'integration.started': {
      const { target, from, to, strategy } = event
      state.integration = { plan: { target, from, to, strategy } }
      return
    }
    case 'integration.finished':
      state.integration.status = event.status
      state.integration.message = event.message
      return
    case 'run.cancelled':
      state.status = 'cancelled'
      state.message = event.message
      return
  }
}

function applyNext(state: RunState, next: Next): void {
  switch (next.kind) {
    case 'pass':
      state.stages[next.stage] = { status: 'passed', visit: state.stages[next.stage]?.visit ?? 0 }
      state.outputs[next.stage] = next.output
      return
    case 'rerun':
      state.stages[next.stage] = { status: 'pending', visit: state.stages[next.stage]?.visit ?? 0 }
      state.feedback[next.stage] = [...(state.feedback[next.stage] ?? []), next.feedback]
      return
    case 'reopen':
      state.loops[next.from] = next.loop
      if (next.extra_loop)
        state.extra_loops[next.from] = (state.extra_loops[next.from] ?? 0) + next.extra_loop
      state.contexts[next.stage] = next.context
      for (const id of [next.stage, ...downstream(state.workflow, next.stage)]) {
        state.stages[id] = { status: 'pending', visit: state.stages[id]?.visit ?? 0 }
      }
      return
    case 'escalate':
      state.escalations[next.escalation_id] = { ...next, status: 'pending' }
      return
    case 'fail_run':
      return finish(state, 'failed', next.message)
  }
}

/** Ends the run; stages that never ran are skipped. */
function finish(state: RunState, status: 'passed' | 'failed', message: string): void {
  state.status = status
  state.message = message
  for (const [id, stage] of Object.entries(state.stages)) {
    if (stage.status === 'pending')
      state.stages[id] = { status: 'skipped', visit: stage.visit, reason: message }
  }
}

/** Pending decisions a person must take: gates, and escalations with no agent to arbitrate. */
/** Whether a gate or an escalation waits for a person (humanDecisions without building the list). */
export function awaitsPerson(state: RunState): boolean {
  for (const id in state.gates) if (state.gates[id]?.status === 'pending') return true
  for (const id in state.escalations) {
    const escalation = state.escalations[id]
    if (escalation?.status === 'pending' && escalation.arbiter === 'human') return true
  }
  return false
}

export function humanDecisions(
  state: RunState,
): { id: string; kind: 'gate' | 'escalation'; summary: string }[] {
  const gates = Object.values(state.gates)
    .filter((g) => g.status === 'pending')
    .map((g) => ({
      id: g.gate_id,
      kind: 'gate' as const,
      summary: `approve the output of ${g.agent} for ${g.stage}: ${g.summary}`,
    }))
  const escalations = Object.values(state.escalations)
    .filter((e) => e.status === 'pending' && e.arbiter === 'human')
    .map((e) => ({ id: e.escalation_id, kind: 'escalation' as const, summary: e.conflict.topic }))
  return [...gates, ...escalations]
}
