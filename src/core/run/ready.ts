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

  constructor(workflow: Workflow) {
    this.byId = new Map(workflow.stages.map((s) => [s.id, s]))
    for (const stage of workflow.stages) {
      for (const dep of stage.depends_on)
        this.dependents.set(dep, [...(this.dependents.get(dep) ?? []), stage.id])
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
      if (
        !spec ||
        stage?.status !== 'pending' ||
        !spec.depends_on.every((d) => state.stages[d]?.status === 'passed')
      ) {
        this.candidates.delete(id)
        continue
      }
      if (running(id)) continue
      this.candidates.delete(id)
      ready.push(spec)
    }
    return ready
  }

  private touch(id: string): void {
    this.candidates.add(id)
    for (const d of this.dependents.get(id) ?? []) this.candidates.add(d)
  }
}
