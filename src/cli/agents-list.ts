import { relative } from 'node:path'
import { modelOf, readAgents } from '../core/agents/load.js'
import { loadConfig, type ProjectConfig } from '../core/config/load.js'
import { agentStanding, loadScores, type Scores } from '../core/evaluation/index.js'
import { formatIssue } from '../core/contracts/format.js'
import { type Command, say } from './command.js'
import { table } from './table.js'

export const agentsList: Command = {
  name: 'agents list',
  args: '',
  summary:
    'list the agents with authority, autonomy, model, contract and budgets; exit 2 if a definition is invalid',
  positionals: { min: 0, max: 0 },
  options: { json: { type: 'boolean', description: 'print the list as JSON' } },
  async run(context) {
    const config = await loadConfig(context.cwd)
    const { agents, problems } = await readAgents(config)
    const standing = await standingOf(config)
    if (context.options.json) {
      const list = agents.map((a) => ({ ...a, resolved_model: modelOf(a, config), autonomy: standing(a.id) }))
      say(context.stdout, JSON.stringify({ ok: problems.length === 0, agents: list, problems }, null, 2))
      return problems.length === 0 ? 0 : 2
    }
    const header = [
      'ID',
      'AUTHORITY',
      'AUTONOMY',
      'LEVEL',
      'TREND',
      'RUNS',
      'SCORES C/E/Co/$/S',
      'MODEL',
      'CONTRACT',
      'TOKENS/RUN',
      'CALLS/STAGE',
      'S/CALL',
      'REPAIRS',
    ]
    const rows = agents.map((a) => [
      a.id,
      String(a.authority),
      standing(a.id).value.toFixed(2),
      standing(a.id).level,
      standing(a.id).trend,
      String(standing(a.id).runs),
      scoreLine(standing(a.id).scores),
      modelLabel(config.agent_models[a.id] ?? a.model, modelOf(a, config)),
      a.contract,
      String(a.budgets.tokens_per_run),
      String(a.budgets.calls_per_stage),
      String(a.budgets.seconds_per_call),
      String(a.budgets.max_repairs),
    ])
    for (const line of table([header, ...rows], [1, 2, 5, 9, 10, 11, 12])) say(context.stdout, line)
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

/** Each agent's standing from the score book: autonomy, its level, trend, runs and scores. */
async function standingOf(config: ProjectConfig) {
  const book = await loadScores(config.root, config.evaluation)
  return (id: string) => agentStanding(id, book, config.evaluation)
}

/** The five scores (correctness, efficiency, compliance, cost, stability) as whole numbers. */
function scoreLine(scores: Scores): string {
  const order = ['correctness', 'efficiency', 'compliance', 'cost', 'stability'] as const
  return order.map((name) => String(Math.round(scores[name]))).join('/')
}

function modelLabel(alias: string, resolved: string): string {
  return alias === resolved ? alias : `${alias} (${resolved})`
}
