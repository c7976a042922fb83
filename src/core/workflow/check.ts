import type { Workflow } from './types.js'

/** A problem of a workflow, at a JSON pointer into the workflow (as written in macds.yaml). */
export interface WorkflowProblem {
  pointer: string
  message: string
  hint: string
}

/**
 * Checks that a workflow can run: unique stage ids, known agents (when `agents` is given),
 * dependencies that exist, no cycle, every stage able to start, and failure routes that re-open an
 * upstream stage. Returns every problem found.
 */
export function checkWorkflow(workflow: Workflow, agents?: ReadonlySet<string>): WorkflowProblem[] {
  const problems: WorkflowProblem[] = []
  const at = (index: number, rest = '') => `/stages/${index}${rest}`
  const ids = new Map<string, number>()
  workflow.stages.forEach((stage, index) => {
    if (ids.has(stage.id)) {
      problems.push({
        pointer: at(index, '/id'),
        message: `stage '${stage.id}' is defined twice`,
        hint: 'Give each stage a unique id.',
      })
    }
    ids.set(stage.id, index)
    if (agents && !agents.has(stage.agent)) {
      problems.push({
        pointer: at(index, '/agent'),
        message: `stage '${stage.id}' names an unknown agent '${stage.agent}'`,
        hint: `Known agents: ${[...agents].sort().join(', ')}.`,
      })
    }
  })
  workflow.stages.forEach((stage, index) => {
    stage.depends_on.forEach((dep, d) => {
      if (!ids.has(dep)) {
        problems.push({
          pointer: at(index, `/depends_on/${d}`),
          message: `stage '${stage.id}' depends on '${dep}', which is not a stage`,
          hint: `Stages: ${[...ids.keys()].join(', ')}.`,
        })
      }
    })
  })
  const cyclic = cycleMembers(workflow)
  for (const id of cyclic) {
    problems.push({
      pointer: at(ids.get(id) ?? 0, '/depends_on'),
      message: `stage '${id}' is part of a dependency cycle`,
      hint: 'Remove one of the depends_on entries of the cycle; loops are expressed with on_failure.',
    })
  }
  for (const [id, blocker] of blocked(workflow, ids, cyclic)) {
    problems.push({
      pointer: at(ids.get(id) ?? 0, '/depends_on'),
      message: `stage '${id}' is unreachable: it waits for '${blocker}', which can never pass`,
      hint: `Fix '${blocker}' first.`,
    })
  }
  workflow.stages.forEach((stage, index) => {
    const target = stage.on_failure?.reopen
    if (target !== undefined && target !== stage.id && !upstream(workflow, stage.id).has(target)) {
      problems.push({
        pointer: at(index, '/on_failure/reopen'),
        message: `stage '${stage.id}' re-opens '${target}', which is not upstream of it`,
        hint: 'A failure can only re-open a stage this one depends on, directly or not.',
      })
    }
  })
  return problems
}

/** Every stage `id` depends on, directly or not. */
export function upstream(workflow: Workflow, id: string): Set<string> {
  const byId = new Map(workflow.stages.map((s) => [s.id, s]))
  const seen = new Set<string>()
  const visit = (stage: string) => {
    for (const dep of byId.get(stage)?.depends_on ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep)
        visit(dep)
      }
    }
  }
  visit(id)
  return seen
}

/** Every stage that depends on `id`, directly or not. */
export function downstream(workflow: Workflow, id: string): Set<string> {
  const seen = new Set<string>()
  let frontier = [id]
  while (frontier.length > 0) {
    const next = workflow.stages.filter(
      (s) => !seen.has(s.id) && s.depends_on.some((d) => frontier.includes(d)),
    )
    for (const s of next) seen.add(s.id)
    frontier = next.map((s) => s.id)
  }
  return seen
}

/** Stages on a dependency cycle (Tarjan's strongly connected components of size > 1, or self-loops). */
function cycleMembers(workflow: Workflow): string[] {
  const byId = new Map(workflow.stages.map((s) => [s.id, s]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const members: string[] = []
  let counter = 0
  const strong = (v: string) => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of byId.get(v)?.depends_on ?? []) {
      if (!byId.has(w)) continue
      if (!index.has(w)) {
        strong(w)
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0))
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w)
      component.push(w)
      if (w === v) break
    }
    if (component.length > 1 || byId.get(v)?.depends_on.includes(v)) members.push(...component)
  }
  for (const s of workflow.stages) if (!index.has(s.id)) strong(s.id)
  return members.sort()
}

/** Stages that can never start, each with the first dependency that blocks it. */
function blocked(workflow: Workflow, ids: Map<string, number>, cyclic: string[]): Map<string, string> {
  const dead = new Set(cyclic)
  const result = new Map<string, string>()
  let changed = true
  while (changed) {
    changed = false
    for (const stage of workflow.stages) {
      if (dead.has(stage.id)) continue
      const blocker = stage.depends_on.find((d) => !ids.has(d) || dead.has(d))
      if (blocker === undefined) continue
      dead.add(stage.id)
      if (ids.has(blocker)) result.set(stage.id, blocker)
      changed = true
    }
  }
  return result
}
