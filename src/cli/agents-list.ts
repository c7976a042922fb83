import { relative } from 'node:path'
import { modelOf, readAgents } from '../core/agents/load.js'
import { loadConfig } from '../core/config/load.js'
import { formatIssue } from '../core/contracts/format.js'
import { type Command, say } from './command.js'
import { table } from './table.js'

export const agentsList: Command = {
  name: 'agents list',
  args: '',
  summary: 'list the agents with authority, model, contract and budgets; exit 2 if a definition is invalid',
  positionals: { min: 0, max: 0 },
  options: { json: { type: 'boolean', description: 'print the list as JSON' } },
  async run(context) {
    const config = await loadConfig(context.cwd)
    const { agents, problems } = await readAgents(config)
    if (context.options.json) {
      const list = agents.map((a) => ({ ...a, resolved_model: modelOf(a, config) }))
      say(context.stdout, JSON.stringify({ ok: problems.length === 0, agents: list, problems }, null, 2))
      return problems.length === 0 ? 0 : 2
    }
    const header = ['ID', 'AUTHORITY', 'MODEL', 'CONTRACT', 'TOKENS/RUN', 'CALLS/STAGE', 'S/CALL', 'REPAIRS']
    const rows = agents.map((a) => [
      a.id,
      String(a.authority),
      modelLabel(config.agent_models[a.id] ?? a.model, modelOf(a, config)),
      a.contract,
      String(a.budgets.tokens_per_run),
      String(a.budgets.calls_per_stage),
      String(a.budgets.seconds_per_call),
      String(a.budgets.max_repairs),
    ])
    for (const line of table([header, ...rows], [1, 4, 5, 6, 7])) say(context.stdout, line)
    for (const problem of problems) {
      for (const issue of problem.issues) {
        say(context.stdout)
        say(context.stdout, formatIssue(issue, problem.text, relative(context.cwd, issue.file) || issue.file))
      }
    }
    if (problems.length > 0) {
      say(context.stdout)
      say(context.stdout, `${problems.length} agent definition${problems.length === 1 ? '' : 's'} invalid`)
    }
    return problems.length === 0 ? 0 : 2
  },
}

function modelLabel(alias: string, resolved: string): string {
  return alias === resolved ? alias : `${alias} (${resolved})`
}
