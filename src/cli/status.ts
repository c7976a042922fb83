import type { Writable } from 'node:stream'
import { loadConfig } from '../core/config/load.js'
import { type RunSummary, summarizeRuns } from '../core/run/status.js'
import { type Command, say } from './command.js'

export const statusCommand: Command = {
  name: 'status',
  args: '',
  summary: 'runs, their stages, and the gates and escalations waiting for a person',
  positionals: { min: 0, max: 0 },
  options: { json: { type: 'boolean', description: 'print the runs as JSON' } },
  async run(context) {
    const config = await loadConfig(context.cwd)
    const runs = await summarizeRuns(config.root)
    if (context.options.json) {
      const plain = runs.map(({ state: _state, ...rest }) => rest)
      say(context.stdout, JSON.stringify({ runs: plain }, null, 2))
      return 0
    }
    if (runs.length === 0) say(context.stdout, 'no runs yet; start one with `macds run "<requirement>"`')
    for (const run of runs) describe(context.stdout, run)
    return 0
  },
}

function describe(out: Writable, run: RunSummary): void {
  say(out, `${run.run_id}  ${run.status}  ${run.requirement}`)
  if (run.message) say(out, `  ${run.message}`)
  say(
    out as never,
    `  ${run.stages.map((s) => `${s.id}:${s.status}${s.visit > 1 ? `#${s.visit}` : ''}`).join('  ')}`,
  )
  say(out, `  ${run.tokens} tokens, $${run.cost_usd.toFixed(4)}`)
  for (const d of run.decisions) say(out, `  waiting: ${d.id} (${d.kind}) ${d.summary}`)
  if (run.status === 'stopped') say(out, `  continue with: macds resume ${run.run_id}`)
}
