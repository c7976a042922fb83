import { loadConfig } from '../core/config/load.js'
import { userError } from '../core/errors.js'
import { writeAnswer } from '../core/run/answers.js'
import { runPaths } from '../core/run/paths.js'
import { summarizeRuns } from '../core/run/status.js'
import { createRedactor } from '../core/secrets.js'
import { type Command, type CommandContext, say } from './command.js'

const reason = {
  type: 'string',
  value: 'TEXT',
  description: 'why; sent back to the agent as feedback',
} as const

export const approveCommand: Command = {
  name: 'approve',
  args: '<id>',
  summary: 'approve a pending gate, or uphold the side that raised a pending escalation',
  positionals: { min: 1, max: 1 },
  options: { reason },
  run: (context) => answer(context, 'approve'),
}

export const rejectCommand: Command = {
  name: 'reject',
  args: '<id>',
  summary:
    'reject a pending gate (the agent tries again with the reason), or uphold the other side of an escalation',
  positionals: { min: 1, max: 1 },
  options: { reason },
  run: (context) => answer(context, 'reject'),
}

/** Leaves the answer for the process driving the run; says how to continue when none does. */
async function answer(context: CommandContext, decision: 'approve' | 'reject'): Promise<number> {
  const id = context.positionals[0] ?? ''
  const config = await loadConfig(context.cwd)
  const runs = await summarizeRuns(config.root)
  const run = runs.find((r) => r.decisions.some((d) => d.id === id))
  if (!run) {
    const pending = runs.flatMap((r) => r.decisions.map((d) => d.id))
    const hint =
      pending.length > 0
        ? `Pending: ${pending.join(', ')}.`
        : 'Nothing is waiting for a person; `macds status` shows the runs.'
    throw userError('DECISION_UNKNOWN', `nothing pending is called ${id}`, hint)
  }
  const given = context.options.reason
  const text = typeof given === 'string' ? createRedactor([], process.env)(given) : undefined
  await writeAnswer(runPaths(config.root, run.run_id).answers, {
    id,
    decision,
    ...(text ? { reason: text } : {}),
    by: 'cli',
  })
  const verb = decision === 'approve' ? 'approved' : 'rejected'
  if (run.driven_by !== undefined) say(context.stdout, `${id} ${verb}; run ${run.run_id} goes on`)
  else
    say(
      context.stdout,
      `${id} ${verb}; run ${run.run_id} is not running: continue it with \`macds resume ${run.run_id}\``,
    )
  return 0
}
