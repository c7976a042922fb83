import { basename } from 'node:path'
import type { StageSpec, Workflow } from '../workflow/types.js'
import type { RunContext } from './context.js'
import { ASSEMBLED_CONTRACTS, type InputFacts } from './inputs.js'
import type { ChangeSet } from './workspace.js'

const assembledStages = new WeakMap<Workflow, StageSpec[]>()

/** The stages of a workflow whose contracts have assembled inputs; found once per workflow. */
function assembled(workflow: Workflow): StageSpec[] {
  let stages = assembledStages.get(workflow)
  if (!stages) {
    stages = workflow.stages.filter((stage) => ASSEMBLED_CONTRACTS.has(stage.contract))
    assembledStages.set(workflow, stages)
  }
  return stages
}

/** What a stage's input is built from: upstream outputs by contract and the run's ChangeSets (pipeline and branches are added by the caller). */
export function inputFacts(run: RunContext, spec: StageSpec): InputFacts {
  const { state } = run
  const known = ASSEMBLED_CONTRACTS.has(spec.contract)
  // Shipped contracts read upstream outputs by contract name; others see their direct dependencies.
  const outputs: Record<string, unknown> = {}
  const passed = new Set<string>()
  if (known) {
    for (const stage of assembled(state.workflow)) {
      if (state.outputs[stage.id] !== undefined) outputs[stage.contract] = state.outputs[stage.id]
      if (state.stages[stage.id]?.status === 'passed') passed.add(stage.contract)
    }
  } else {
    for (const id of spec.depends_on) if (state.outputs[id] !== undefined) outputs[id] = state.outputs[id]
  }
  const changesets = Object.entries(state.changesets).map(([stage, c]) => ({
    stage,
    id: c.id,
    intent: c.intent,
    changeset: (state.outputs[stage] as { changeset: ChangeSet }).changeset,
  }))
  const implementation = changesets.find((c) => c.stage === 'implementation') ?? changesets[0]
  return {
    run_id: state.run_id,
    requirement: state.requirement,
    repository: basename(state.root),
    outputs,
    passed,
    context: undefined,
    changesets,
    implementation,
    diff: implementation ? (state.changesets[implementation.stage]?.diff ?? '') : '',
    commit: implementation ? (state.changesets[implementation.stage]?.commit ?? '') : '',
    pipeline: undefined,
    branches: undefined,
  }
}
