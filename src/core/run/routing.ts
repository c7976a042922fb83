import type { StageSpec, Workflow } from '../workflow/types.js'
import { chooseArbiter } from './arbiter.js'
import type { Conflict, FailureContext, Next } from './events.js'
import { decisionId } from './ids.js'
import type { RunState } from './state.js'

type Json = Record<string, unknown>

interface Ranked {
  id: string
  authority: number
}

/** The contracts whose outputs can raise a conflict by themselves (see conflictOf and judge). */
const CONFLICTING_CONTRACTS: ReadonlySet<string> = new Set(['architecture', 'review', 'integration'])

/**
 * Whether a stage of the workflow can be re-opened while it runs: only a failure route re-opens a
 * stage, or a ruling, and rulings settle the conflicts of a spent loop (a route again) or those the
 * architecture, review and integration contracts raise.
 */
export function mayReopen(workflow: Workflow): boolean {
  return workflow.stages.some((s) => s.on_failure !== undefined || CONFLICTING_CONTRACTS.has(s.contract))
}

/**
 * What follows a stage whose accepted output did not pass: its failure route re-opens the upstream
 * stage with the failure context while the loop budget lasts; a spent budget becomes a conflict
 * between the failing agent and the re-opened one. A stage without a route fails the run.
 */
export function routeFailure(
  state: RunState,
  spec: StageSpec,
  output: Json,
  agents: readonly Ranked[],
): Next {
  const route = spec.on_failure
  if (!route) return { kind: 'fail_run', message: `stage ${spec.id} failed and has no failure route` }
  const loop = (state.loops[spec.id] ?? 0) + 1
  const budget = route.budget + (state.extra_loops[spec.id] ?? 0)
  const context = failureContext(spec, output, loop)
  if (loop <= budget) return { kind: 'reopen', stage: route.reopen, from: spec.id, loop, budget, context }
  const other = stageOf(state.workflow, route.reopen)
  return escalate(agents, {
    topic: `${spec.id} failed ${loop} times; the loop back to ${route.reopen} has spent its budget of ${budget}`,
    kind: 'loop_budget_spent',
    stage: spec.id,
    positions: [
      [spec.agent, `${spec.id} must not pass: ${context.summary}`],
      [other?.agent ?? route.reopen, `${route.reopen} has done what it can in ${budget} attempts`],
    ],
    evidence: [{ source: spec.id, summary: context.summary }],
  })
}

/** A conflict raised by an accepted output itself: an architecture that finds the requirement infeasible. */
export function conflictOf(
  state: RunState,
  spec: StageSpec,
  output: Json,
  agents: readonly Ranked[],
): Next | undefined {
  if (spec.contract === 'architecture') {
    const feasibility = output.feasibility as { status?: string; explanation?: string } | undefined
    if (!feasibility || feasibility.status === 'feasible' || feasibility.status === undefined)
      return undefined
    const product = state.workflow.stages.find((s) => s.contract === 'requirements')?.agent ?? 'product'
    const explanation = feasibility.explanation ?? `the requirement is ${feasibility.status}`
    return escalate(agents, {
      topic: `${spec.agent} finds the requirement ${feasibility.status}: ${explanation}`,
      kind: 'requirement_infeasible',
      stage: spec.id,
      positions: [
        [spec.agent, `the requirements must change: ${explanation}`],
        [product, 'the requirements stand as written'],
      ],
      evidence: [{ source: spec.id, summary: explanation }],
    })
  }
  return undefined
}

/** The target's new commits conflict with the run's: the integrator and the implementer must be settled. */
export function mergeConflict(
  spec: StageSpec,
  target: string,
  paths: readonly string[],
  implementer: string,
  agents: readonly Ranked[],
): Next {
  const summary = `${target} moved, and its new commits conflict with the run in ${paths.join(', ')}`
  return escalate(agents, {
    topic: summary,
    kind: 'disagreement',
    stage: spec.id,
    positions: [
      [spec.agent, `the run cannot be merged as it is: ${summary}`],
      [implementer, 'the ChangeSets meet the requirements on the base they were made for'],
    ],
    evidence: [{ source: spec.id, summary }],
  })
}

/** Two reviews rejecting the same ChangeSet: the reviewer and the implementer disagree. */
export function reviewRejectedTwice(
  spec: StageSpec,
  output: Json,
  changesetId: string,
  implementer: string,
  agents: readonly Ranked[],
): Next {
  const summary = String(output.summary ?? 'rejected')
  return escalate(agents, {
    topic: `${spec.agent} rejected ChangeSet ${changesetId} twice`,
    kind: 'review_rejected_twice',
    stage: spec.id,
    positions: [
      [spec.agent, `the ChangeSet must not be merged: ${summary}`],
      [implementer, 'the ChangeSet meets the requirements and the architecture'],
    ],
    evidence: [{ source: spec.id, summary }],
  })
}

/**
 * What a stage re-opened by `spec` is told, by the failing stage's contract. An output of another
 * contract is summed up by the condition it failed and its own `summary`, if it has one.
 */
export function failureContext(spec: StageSpec, output: Json, attempt: number): FailureContext {
  const source = spec.id
  switch (spec.contract) {
    case 'review':
      return {
        source_stage: source,
        summary: String(output.summary ?? 'the review requested changes'),
        review_comments: ((output.comments ?? []) as Json[]).map(
          ({ file, line, severity, message, suggestion }) =>
            dropUndefined({ file, line, severity, message, suggestion }),
        ),
        attempt,
      }
    case 'build_test':
      return dropUndefined({
        source_stage: source,
        summary: String(output.diagnosis ?? 'the build or the tests failed'),
        failing_tests: output.failing_tests,
        diagnosis: output.diagnosis,
        attempt,
      }) as FailureContext
    case 'integration':
      return {
        source_stage: source,
        summary: String(output.summary ?? 'integration failed'),
        conflicts: output.conflicts ?? [],
        attempt,
      }
    case 'final_approval':
      return {
        source_stage: source,
        summary: String(output.summary ?? 'final approval was refused'),
        required_changes: output.required_changes ?? [],
        attempt,
      }
    default: {
      const condition = spec.pass_when === undefined ? '' : ` (pass_when: ${spec.pass_when})`
      const said = typeof output.summary === 'string' ? `: ${output.summary}` : ''
      return { source_stage: source, summary: `${source} did not pass${condition}${said}`, attempt }
    }
  }
}

/** The first stage of the workflow answered by `agent`. */
export function stageOfAgent(workflow: Workflow, agent: string): StageSpec | undefined {
  return workflow.stages.find((s) => s.agent === agent)
}

function stageOf(workflow: Workflow, id: string): StageSpec | undefined {
  return workflow.stages.find((s) => s.id === id)
}

interface ConflictSpec {
  topic: string
  kind: Conflict['kind']
  stage: string
  positions: [string, string][]
  evidence: Conflict['evidence']
}

function escalate(agents: readonly Ranked[], spec: ConflictSpec): Next {
  const authority = (id: string) => agents.find((a) => a.id === id)?.authority ?? 0
  const escalation_id = decisionId('e')
  const conflict: Conflict = {
    id: escalation_id,
    topic: spec.topic,
    kind: spec.kind,
    stage: spec.stage,
    agents: spec.positions.map(([agent, position]) => ({ agent, authority: authority(agent), position })),
    evidence: spec.evidence,
  }
  const arbiter = chooseArbiter(
    agents,
    conflict.agents.map((a) => a.agent),
  )
  return { kind: 'escalate', escalation_id, conflict, arbiter }
}

function dropUndefined(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
}
