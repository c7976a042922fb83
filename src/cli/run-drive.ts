import type { RunDeps } from '../core/run/context.js'
import type { RunResult } from '../core/run/driver.js'
import { humanDecisions } from '../core/run/state.js'
import { type CommandContext, say } from './command.js'
import { jsonReporter, plainReporter } from './run-reporter.js'
import type { Setup } from './run-setup.js'

/**
 * Drives a run (new or resumed) from the command line: reports its events, cancels it cleanly on
 * Ctrl+C or SIGTERM (the signal reaches the provider), and turns where it ended into the exit code:
 * 0 passed, 1 failed, 3 waiting for a person, 130 interrupted.
 */
export async function driveFromCli(
  context: CommandContext,
  setup: Setup,
  runId: string,
  drive: (deps: RunDeps) => Promise<RunResult>,
): Promise<number> {
  const json = context.options.json === true
  const reporter = json ? jsonReporter(context.stdout) : plainReporter(context.stdout, setup.redact)
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const deps = await setup.deps(runId, [reporter], controller.signal, context.options['no-wait'] !== true)
    const { state } = await drive(deps)
    // A run that ended is scored; one waiting for a person or cancelled is scored when it ends.
    if (state.status === 'passed' || state.status === 'failed') await setup.score(runId)
    if (state.status === 'passed') return 0
    if (state.status === 'cancelled') return 130
    if (state.status === 'failed') return 1
    if (!json) {
      for (const decision of humanDecisions(state))
        say(context.stdout, `waiting for a person: ${decision.id} (${decision.summary})`)
      say(context.stdout, `answer with \`macds approve|reject <id>\`, then \`macds resume ${runId}\``)
    }
    return 3
  } finally {
    await setup.close()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
