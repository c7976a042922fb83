import { compileCondition } from '../contracts/cel.js'
import type { Violation } from '../contracts/types.js'
import type { StageSpec } from '../workflow/types.js'
import { rankedAgents, record, type RunContext } from './context.js'
import type { Next, StageFailure } from './events.js'
import type { InputFacts } from './inputs.js'
import { conflictOf, mergeConflict, reviewRejectedTwice, routeFailure } from './routing.js'

type Json = Record<string, unknown>

/** Why an accepted output does not let the run go on, and what follows; undefined when it passes. */
export function judge(
  run: RunContext,
  spec: StageSpec,
  output: Json,
  facts: InputFacts,
): { message: string; next: Next; extra?: { rejected_changeset: string } } | undefined {
  const ranked = rankedAgents(run)
  const conflict = conflictOf(run.state, spec, output, ranked)
  if (conflict?.kind === 'escalate') return { message: conflict.conflict.topic, next: conflict }
  const conflicting = facts.branches?.conflicting_paths ?? []
  if (conflicting.length > 0) {
    const implementer = run.state.workflow.stages.find((s) => s.contract === 'implementation')?.agent
    const next = mergeConflict(
      spec,
      facts.branches?.target_branch ?? '',
      conflicting,
      implementer ?? 'implementation',
      ranked,
    )
    return { message: `${spec.id} found merge conflicts`, next }
  }
  if (passes(spec, output)) return undefined
  const message = `${spec.id} did not pass (${spec.pass_when})`
  const changeset = facts.changesets.find((c) => c.stage === 'implementation')
  if (spec.contract === 'review' && output.verdict === 'reject' && changeset) {
    const extra = { rejected_changeset: changeset.id }
    if ((run.state.rejected[changeset.id] ?? 0) >= 1) {
      const implementer =
        run.state.workflow.stages.find((s) => s.id === changeset.stage)?.agent ?? 'implementation'
      return { message, next: reviewRejectedTwice(spec, output, changeset.id, implementer, ranked), extra }
    }
    return { message, next: routeFailure(run.state, spec, output, ranked), extra }
  }
  return { message, next: routeFailure(run.state, spec, output, ranked) }
}

/** Records a stage failure that ends the run. */
export function failRun(
  run: RunContext,
  base: { stage: string; agent: string; visit: number },
  reason: StageFailure,
  message: string,
  extra: { output?: unknown; violations?: Violation[] } = {},
): void {
  record(run, {
    type: 'stage.failed',
    ...base,
    reason,
    message,
    ...extra,
    next: { kind: 'fail_run', message },
  })
}

const conditions = new Map<string, ((context: Json) => unknown) | undefined>()

/** Whether an accepted output passes its stage; pass_when was checked when the workflow was loaded. */
function passes(spec: StageSpec, output: Json): boolean {
  if (spec.pass_when === undefined) return true
  if (!conditions.has(spec.pass_when)) {
    const compiled = compileCondition(spec.pass_when, 'output')
    conditions.set(spec.pass_when, compiled.ok ? compiled.condition.evaluate : undefined)
  }
  return conditions.get(spec.pass_when)?.({ input: {}, output }) === true
}
