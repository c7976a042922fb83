import type { FailureContext, Next } from './events.js'
import { stageOfAgent } from './routing.js'
import type { Escalation, RunState } from './state.js'

/** A ruling as the escalation contract (or a person) gives it. */
export interface Ruling {
  ruling: 'uphold' | 'require_change' | 'abort'
  upheld_agent?: string
  required_change?: { agent: string; change: string }
  rationale: string
}

/**
 * What a ruling does to the run. Upholding the side that raised the conflict keeps its position
 * (the failure stands, or the requirements go back to product); upholding the other side overrules
 * it (the failing stage passes, or the architecture is redone against the requirements as written);
 * a required change re-opens the named agent's stage with one more loop; abort fails the run.
 */
export function rulingNext(state: RunState, escalation: Escalation, ruling: Ruling, by: string): Next {
  const { conflict } = escalation
  if (ruling.ruling === 'abort')
    return { kind: 'fail_run', message: `${by} aborted the run: ${ruling.rationale}` }
  const attempt = (state.loops[conflict.stage] ?? 0) + 1
  if (ruling.ruling === 'require_change') {
    const change = ruling.required_change
    const target = change && stageOfAgent(state.workflow, change.agent)
    if (!change || !target)
      return { kind: 'fail_run', message: `${by} required a change of an agent with no stage` }
    const context = {
      source_stage: conflict.stage,
      summary: change.change,
      required_changes: [change.change],
      attempt,
    }
    return reopen(state, target.id, conflict.stage, context, 1)
  }
  const [raiser, other] = conflict.agents
  const upheld = ruling.upheld_agent ?? raiser?.agent
  if (conflict.kind === 'requirement_infeasible') {
    const requirements = state.workflow.stages.find((s) => s.contract === 'requirements')
    if (raiser && upheld === raiser.agent && requirements) {
      const context = {
        source_stage: conflict.stage,
        summary: `${raiser.position} (${ruling.rationale})`,
        attempt,
      }
      return reopen(state, requirements.id, conflict.stage, context, 0)
    }
    const context = {
      source_stage: 'requirements',
      summary: `the requirements stand: ${ruling.rationale}`,
      attempt,
    }
    return reopen(state, conflict.stage, conflict.stage, context, 0)
  }
  if (upheld === other?.agent)
    return { kind: 'pass', stage: conflict.stage, output: state.outputs[conflict.stage] }
  return { kind: 'fail_run', message: `the failure of ${conflict.stage} stands (${by}: ${ruling.rationale})` }
}

function reopen(state: RunState, stage: string, from: string, context: FailureContext, extra: number): Next {
  const loop = state.loops[from] ?? 0
  const budget = state.workflow.stages.find((s) => s.id === from)?.on_failure?.budget ?? 0
  return { kind: 'reopen', stage, from, loop, budget, context, extra_loop: extra }
}
