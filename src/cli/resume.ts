import { loadConfig } from '../core/config/load.js'
import { userError } from '../core/errors.js'
import { resumeRun } from '../core/run/driver.js'
import { listRunIds } from '../core/run/paths.js'
import { readRunState } from '../core/run/status.js'
import type { Command } from './command.js'
import { driveFromCli } from './run-drive.js'

export const resumeCommand: Command = {
  name: 'resume',
  args: '<run-id>',
  summary: 'continue a run that was interrupted or is waiting for a person, from its event log',
  positionals: { min: 1, max: 1 },
  options: {
    json: { type: 'boolean', description: 'one JSON event per line on stdout, nothing else' },
    'no-wait': { type: 'boolean', description: 'stop with exit 3 at a human decision instead of waiting' },
  },
  async run(context) {
    const runId = context.positionals[0] ?? ''
    const config = await loadConfig(context.cwd)
    const known = await listRunIds(config.root)
    if (!known.includes(runId)) {
      const hint =
        known.length > 0
          ? `Known runs: ${known.slice(-5).join(', ')} (see \`macds status\`).`
          : 'No runs yet.'
      throw userError('RUN_UNKNOWN', `no run ${runId} in ${config.root}`, hint)
    }
    const { options, workspace, head, status } = await readRunState(config.root, runId)
    const choice = { provider: options.provider, script: options.script }
    // A finished run is only reported: its worktree is gone and is not made again.
    const finished = status === 'passed' || status === 'failed'
    const { setUpRun } = await import('./run-setup.js')
    const setup = await setUpRun(context.cwd, choice, { resume: finished ? undefined : workspace, at: head })
    return driveFromCli(context, setup, runId, (deps) => resumeRun(runId, deps))
  },
}
