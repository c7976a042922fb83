import type { RunState } from './state.js'

/** Why a stage's visit was stopped when the stage was re-opened; made once (an AbortError costs a stack trace). */
const REOPENED = new Error('the stage was re-opened')

/**
 * The controllers that stop running stages one at a time: a stage re-opened while it runs (its
 * upstream failed, say) is stopped, and the others go on. The loop stops them all, with the rest of
 * the run's work, when the run is cancelled or over.
 */
export class StageStops {
  private readonly controllers = new Map<string, AbortController>()

  /** The signal of a stage's visit: aborted when the stage is re-opened, or by `stopAll`. */
  start(stage: string): AbortSignal {
    const controller = new AbortController()
    this.controllers.set(stage, controller)
    return controller.signal
  }

  ended(stage: string): void {
    this.controllers.delete(stage)
  }

  /** Stops the visits whose stage the state no longer has running. */
  stopReopened(state: RunState): void {
    for (const [stage, controller] of this.controllers)
      if (state.stages[stage]?.status !== 'running') controller.abort(REOPENED)
  }

  stopAll(reason: unknown): void {
    for (const controller of this.controllers.values()) controller.abort(reason)
  }
}
