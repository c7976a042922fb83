import { newRunId } from '../core/run/ids.js'
import { startRun } from '../core/run/driver.js'
import type { RunOptions } from '../core/run/events.js'
import { userError } from '../core/errors.js'
import type { Command } from './command.js'
import { providerChoice, providerOptions } from './provider-options.js'
import { driveFromCli } from './run-drive.js'

const APPROVE = ['ask', 'auto', 'reject'] as const

export const runCommand: Command = {
  name: 'run',
  args: '"<requirement>"',
  summary: 'run the workflow headless for a one-line requirement',
  positionals: { min: 1, max: 1 },
  options: {
    ...providerOptions,
    approve: {
      type: 'string',
      value: 'MODE',
      description: 'at approval gates: ask (wait for `macds approve`), auto or reject',
    },
    json: { type: 'boolean', description: 'one JSON event per line on stdout, nothing else' },
    'no-wait': {
      type: 'boolean',
      description: 'stop with exit 3 at a human decision instead of waiting; `macds resume` continues',
    },
    target: {
      type: 'string',
      value: 'BRANCH',
      description: 'the branch to integrate into (default: the current one)',
    },
    'no-merge': { type: 'boolean', description: 'stop with the run branch validated, for merging by hand' },
    'no-keep': { type: 'boolean', description: 'delete the run branch if the run fails or is cancelled' },
  },
  async run(context) {
    const requirement = (context.positionals[0] ?? '').trim()
    if (requirement === '')
      throw userError('USAGE', 'the requirement is empty', 'Usage: macds run "<requirement>"')
    const approve = approveMode(context.options.approve)
    const target = context.options.target as string | undefined
    // Loaded when a run starts: the workspace brings git and the pipeline with it.
    const { setUpRun } = await import('./run-setup.js')
    const setup = await setUpRun(context.cwd, providerChoice(context), { target })
    const options = setup.options(approve, {
      merge: context.options['no-merge'] !== true,
      keep: context.options['no-keep'] !== true,
    })
    const runId = newRunId()
    return driveFromCli(context, setup, runId, (deps) => startRun(requirement, options, deps, runId))
  },
}

function approveMode(value: string | boolean | undefined): RunOptions['approve'] {
  const mode = value ?? 'ask'
  if (APPROVE.includes(mode as RunOptions['approve'])) return mode as RunOptions['approve']
  throw userError(
    'USAGE',
    `--approve must be ask, auto or reject, not '${String(mode)}'`,
    'Usage: macds run "<requirement>" --approve auto',
  )
}
