import { join, relative, resolve } from 'node:path'
import { BudgetLedger } from '../core/agents/budget.js'
import type { AgentEvent } from '../core/agents/events.js'
import { loadAgents, modelOf } from '../core/agents/load.js'
import { createPromptStore } from '../core/agents/prompt-store.js'
import { runAgent } from '../core/agents/runtime.js'
import { loadConfig } from '../core/config/load.js'
import { formatViolation } from '../core/contracts/format.js'
import { readValueFile } from '../core/contracts/value-file.js'
import { userError } from '../core/errors.js'
import { createProvider } from '../core/providers/create.js'
import { stateDir } from '../core/state-dir.js'
import { type Command, say } from './command.js'
import { projectRedactor, providerChoice, providerOptions } from './provider-options.js'

export const agentsTry: Command = {
  name: 'agents try',
  args: '<id>',
  summary: 'run one agent on an input file and print its validated output, or why it stopped',
  positionals: { min: 1, max: 1 },
  options: {
    input: {
      type: 'string',
      value: 'FILE',
      description: 'the stage input (JSON or YAML), checked against the contract',
    },
    ...providerOptions,
    stage: { type: 'string', value: 'NAME', description: "the stage to run (default: the agent's contract)" },
    contract: {
      type: 'string',
      value: 'NAME',
      description: "the contract to validate against (default: the agent's)",
    },
    json: { type: 'boolean', description: 'print the outcome as JSON' },
  },
  async run(context) {
    const { options, cwd } = context
    if (typeof options.input !== 'string') {
      throw userError(
        'USAGE',
        '`macds agents try` needs --input FILE',
        'Usage: macds agents try <id> --input FILE',
      )
    }
    const config = await loadConfig(cwd)
    const agent = findAgent(await loadAgents(config), context.positionals[0] ?? '')
    const { loadNamedContract } = await import('../core/contracts/find.js')
    const contract = await loadNamedContract(config.paths.contracts, str(options.contract) ?? agent.contract)
    const input = await readValueFile(resolve(cwd, options.input))
    const provider = await createProvider(config, providerChoice(context))
    const redact = projectRedactor(config)
    const promptFile = join(
      await stateDir(config.root, 'prompts'),
      `try-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
    )
    const outcome = await runAgent(
      { agent, contract, stage: str(options.stage) ?? contract.name, input, model: modelOf(agent, config) },
      {
        provider,
        ledger: new BudgetLedger(),
        prompts: createPromptStore(promptFile, redact),
        emit: (event) => say(context.stderr, redact(describe(event))),
      },
    )
    const { usage } = outcome
    const spent = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}, ${usage.prompt_tokens + usage.completion_tokens} tokens, $${outcome.cost_usd.toFixed(4)}`
    if (options.json) say(context.stdout, redact(JSON.stringify(outcome, null, 2)))
    else if (outcome.ok) say(context.stdout, redact(JSON.stringify(outcome.output, null, 2)))
    say(context.stderr, `${outcome.ok ? 'accepted' : 'stopped'} after ${spent}`)
    if (!outcome.ok && outcome.hint) say(context.stderr, `hint: ${outcome.hint}`)
    say(context.stderr, `prompts kept in ${relative(cwd, promptFile)}`)
    if (outcome.ok) return 0
    return outcome.reason === 'input_invalid' ? 2 : 1
  },
}

function findAgent<T extends { id: string }>(agents: T[], id: string): T {
  const agent = agents.find((a) => a.id === id)
  if (agent) return agent
  throw userError('AGENT_UNKNOWN', `no agent '${id}'`, `Known agents: ${agents.map((a) => a.id).join(', ')}.`)
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** One line of progress per runtime event. */
function describe(event: AgentEvent): string {
  const at = `[${event.stage} #${event.attempt}]`
  switch (event.type) {
    case 'agent.attempt_started':
      return `${at} asking ${event.model}`
    case 'agent.output_received':
      return `${at} answer: ${event.chars} chars, ${event.usage.prompt_tokens}+${event.usage.completion_tokens} tokens`
    case 'agent.violations':
      return [
        `${at} ${event.violations.length} violation${event.violations.length === 1 ? '' : 's'}${event.will_repair ? ', asking for a repair' : ''}:`,
        ...event.violations.map(formatViolation),
      ].join('\n')
    case 'agent.tool_called':
      return `${at} ${event.tool}(${event.arguments}): ${event.ok ? `${event.chars} chars` : `refused: ${event.error ?? ''}`}`
    case 'agent.tools_unavailable':
      return `${at} ${event.model} cannot call tools; answering from the prompt alone (${event.message})`
    case 'agent.repaired':
      return `${at} the repair satisfies the contract`
    case 'agent.accepted':
      return `${at} accepted${event.warnings.length > 0 ? ` with ${event.warnings.length} warning(s)` : ''}`
    case 'agent.failed':
      return [
        `${at} failed (${event.reason}): ${event.message}`,
        ...event.violations.map(formatViolation),
      ].join('\n')
  }
}
