import { loadAgents } from '../core/agents/load.js'
import { createPromptStore } from '../core/agents/prompt-store.js'
import { loadConfig, type ProjectConfig } from '../core/config/load.js'
import { loadMemoryPolicy, openMemory } from '../core/memory/index.js'
import type { AgentDefinition } from '../core/agents/types.js'
import {
  agentStanding,
  type EvaluationConfig,
  loadScores,
  recordRunScores,
  type ScoreBook,
} from '../core/evaluation/index.js'
import type { Autonomy, RunOptions } from '../core/run/events.js'
import { ContractRegistry } from '../core/contracts/registry.js'
import { userError } from '../core/errors.js'
import { createProvider, type ProviderChoice } from '../core/providers/create.js'
import type { RunDeps, RunListener } from '../core/run/context.js'
import { openWorkspace, type Placement } from '../core/workspace/open.js'
import type { Redactor } from '../core/secrets.js'
import { stateDir } from '../core/state-dir.js'
import { runPaths } from '../core/run/paths.js'
import { checkWorkflow } from '../core/workflow/check.js'
import { projectRedactor } from './provider-options.js'

/** What `run` and `resume` need besides the run's own options. */
export interface Setup {
  config: ProjectConfig
  /** The provider and script in use, as recorded in the run's log. */
  provider: string
  script: string | undefined
  redact: Redactor
  /** The run's options with the provider and script in use; merge and keep default to true. */
  options: (approve: RunOptions['approve'], flags?: { merge?: boolean; keep?: boolean }) => RunOptions
  deps: (runId: string, listeners: RunListener[], signal: AbortSignal, wait: boolean) => Promise<RunDeps>
  /** Scores the agents' work in a run that ended, so that their autonomy follows what they did. */
  score: (runId: string) => Promise<void>
  /** Stops watching the contracts. */
  close: () => Promise<void>
}

/** Each agent's autonomy from the score book, and the level it gives. */
function autonomyOf(
  agents: readonly AgentDefinition[],
  book: ScoreBook,
  config: EvaluationConfig,
): Record<string, Autonomy> {
  const all: Record<string, Autonomy> = {}
  for (const { id } of agents) {
    const { value, level } = agentStanding(id, book, config)
    all[id] = { value, level }
  }
  return all
}

/**
 * Loads the project (macds.yaml, agents, contracts), checks the workflow against the agents, and
 * creates the provider the options name. Any problem is a user error before the run starts. A registry
 * already watching the project's contracts (the supervisor's) is used as it is, and left open.
 */
export async function setUpRun(
  cwd: string,
  choice: ProviderChoice,
  place: Placement,
  shared: { contracts?: ContractRegistry } = {},
): Promise<Setup> {
  const config = await loadConfig(cwd)
  // An invalid memory policy is reported before anything starts.
  const policy = await loadMemoryPolicy(config.root)
  const agents = await loadAgents(config)
  const problems = checkWorkflow(config.workflow, new Set(agents.map((a) => a.id)))
  if (problems.length > 0) {
    const list = problems.map((p) => `  macds.yaml /workflow${p.pointer}: ${p.message}`).join('\n')
    throw userError('WORKFLOW_INVALID', `the workflow cannot run:\n${list}`, problems[0]?.hint)
  }
  // Watched for the whole run: a valid edit applies to the next stage, an invalid one leaves the last
  // valid version in force.
  const given = shared.contracts?.dir === config.paths.contracts ? shared.contracts : undefined
  const contracts = given ?? (await ContractRegistry.load(config.paths.contracts))
  if (!given) await contracts.watch()
  const script = choice.script ?? config.script
  const provider = await createProvider(config, { provider: choice.provider, script })
  const redact = projectRedactor(config)
  return {
    config,
    provider: provider.name,
    script,
    redact,
    options: (approve, flags = {}) => ({
      provider: provider.name,
      script,
      approve,
      merge: flags.merge ?? true,
      keep: flags.keep ?? true,
    }),
    async deps(runId, listeners, signal, wait) {
      await stateDir(config.root, 'runs')
      await stateDir(config.root, 'prompts')
      const prompts = createPromptStore(runPaths(config.root, runId).prompts, redact)
      const workspace = await openWorkspace(config, runId, place, { agents, redact })
      // Local scopes live in the repository; shared ones in the worktree, committed with the run.
      const memory = await openMemory(config.root, policy, { sharedRoot: workspace.root })
      await memory.prune()
      const book = await loadScores(config.root, config.evaluation)
      const autonomy = autonomyOf(agents, book, config.evaluation)
      return {
        config,
        agents,
        contracts,
        provider,
        workspace,
        prompts,
        redact,
        listeners,
        signal,
        wait,
        memory,
        autonomy,
      }
    },
    score: async (runId) =>
      void (await recordRunScores(config.root, runId, { agents, config: config.evaluation })),
    close: () => (given ? Promise.resolve() : contracts.close()),
  }
}
