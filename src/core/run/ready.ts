import type { StageSpec, Workflow } from '../workflow/types.js'
import type { RunEvent } from './events.js'
import type { RunState } from './state.js'

/**
 * Knows which pending stages may start (every dependency passed) without scanning the workflow on
 * every transition: a stage is looked at again only when it or one of its dependencies changed.
 * That keeps the cost of a transition flat however many stages the workflow has.
 */
export class ReadyStages {
  private readonly byId: Map<string, StageSpec>
  private readonly dependents = new Map<string, string[]>()
  private readonly candidates = new Set<string>()
  /** For each stage, the index in its depends_on of the dependency that last kept it waiting. */
  private readonly blockers = new Map<string, number>()

  constructor(workflow: Workflow) {
    this.byId = new Map(workflow.stages.map((s) => [s.id, s]))
    for (const stage of workflow.stages) {
      for (const dep of stage.depends_on) {
        const list = this.dependents.get(dep)
        if (list) list.push(stage.id)
        else this.dependents.set(dep, [stage.id])
      }
      this.candidates.add(stage.id)
    }
  }

  /** Marks the stages an applied event may have made ready; only run and stage events change a stage's status. */
  changed(event: RunEvent): void {
    const { type } = event
    if (!type.startsWith('stage.') && !type.startsWith('run.') && !('next' in event)) return
    if (event.type === 'run.resumed') for (const id of this.byId.keys()) this.candidates.add(id)
    if ('stage' in event && typeof event.stage === 'string') this.touch(event.stage)
    if ('next' in event && 'stage' in event.next) this.touch(event.next.stage)
  }

  /** Up to `limit` stages that may start now, in workflow order among those looked at. */
  take(state: RunState, limit: number, running: (id: string) => boolean): StageSpec[] {
    const ready: StageSpec[] = []
    for (const id of this.candidates) {
      if (ready.length >= limit) break
      const spec = this.byId.get(id)
      const stage = state.stages[id]
      if (!spec || stage?.status !== 'pending' || this.waits(spec, state)) {
        this.candidates.delete(id)
        continue
      }
      if (running(id)) continue
      this.candidates.delete(id)
      ready.push(spec)
    }
    return ready
  }

  /**
   * Whether a dependency of `spec` has not passed. The one that said so last time is asked first and
   * the others after it, in order: a stage joining many branches, looked at as each of them passes,
   * then costs about one check each time instead of one per branch.
   */
  private waits(spec: StageSpec, state: RunState): boolean {
    const deps = spec.depends_on
    const from = this.blockers.get(spec.id) ?? 0
    for (let k = 0; k < deps.length; k++) {
      const index = (from + k) % deps.length
      if (state.stages[deps[index] as string]?.status !== 'passed') {
        this.blockers.set(spec.id, index)
        return true
      }
    }
    return false
  }

  private touch(id: string): void {
    this.candidates.add(id)
    for (const d of this.dependents.get(id) ?? []) this.candidates.add(d)
  }
}
