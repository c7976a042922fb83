import { record, type RunContext } from './context.js'

/**
 * The end of a run whose every stage passed: the workspace moves the target to the validated run
 * branch (or leaves it, and says why), and the run finishes. The move is logged before it is made
 * and its outcome after, so that a run resumed after a crash in between knows whether it happened.
 */
export async function integrate(run: RunContext, signal: AbortSignal): Promise<void> {
  const { options, integration } = run.state
  // Nothing irreversible happens before `planned`, which makes the log durable before the target moves.
  const outcome = await run.workspace.integrate({
    merge: options.merge !== false,
    previous: integration.status === undefined ? integration.plan : undefined,
    signal,
    planned: async (plan) => {
      record(run, { type: 'integration.started', ...plan })
      await run.log.sync()
    },
  })
  if (signal.aborted) return
  const { status, message } = outcome
  record(run, { type: 'integration.finished', status, message })
  const failed = status === 'failed'
  const finished = failed ? message : `every stage passed; ${message}`
  record(run, { type: 'run.finished', status: failed ? 'failed' : 'passed', message: finished })
}

/** Whether every stage of the run has passed, so that integration may start. */
export function everyStagePassed(run: RunContext): boolean {
  for (const stage of Object.values(run.state.stages)) if (stage.status !== 'passed') return false
  return true
}
