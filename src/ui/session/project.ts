import { basename } from 'node:path'
import { loadAgents, modelOf } from '../../core/agents/load.js'
import type { AgentDefinition } from '../../core/agents/types.js'
import { ARTIFACT_NAMES, artifactVersions } from '../../core/artifacts/index.js'
import type { ProjectConfig } from '../../core/config/load.js'
import { agentStanding, loadScores } from '../../core/evaluation/index.js'
import { currentBranch } from '../../core/git/index.js'
import { loadMemoryPolicy, MEMORY_SCOPES, openMemory } from '../../core/memory/index.js'
import type { QueueFacts } from '../store/queue.js'
import type { AgentView, ArtifactRow, MemoryView, ProjectView } from '../store/types.js'

/** How many of the strongest notes the memory panel lists. */
const STRONGEST = 12

export type LoadedProject = Awaited<ReturnType<typeof loadProject>>

/** The project as the supervisor opens on it: where, which agents, and what the queue needs of them. */
export async function loadProject(config: ProjectConfig, provider: string) {
  // git answers while the agent files are read.
  const branching = currentBranch(config.root).catch(() => undefined)
  const agents = await loadAgents(config)
  const branch = await branching
  const architect = agents.find((a) => a.id === 'architect') ?? agents[0]
  const project: ProjectView = {
    repo: basename(config.root),
    branch,
    provider,
    model: architect ? modelOf(architect, config) : '—',
  }
  const facts: QueueFacts = {
    agents: Object.fromEntries(
      agents.map((a) => [
        a.id,
        {
          authority: a.authority,
          tokens_per_run: a.budgets.tokens_per_run,
          requires_approval: a.requires_approval,
        },
      ]),
    ),
    thresholds: config.evaluation.thresholds,
  }
  return { agents, project, facts, views: await agentViews(config, agents) }
}

/** Each agent's standing from the score book, idle, nothing spent: the panel before and between runs. */
export async function agentViews(
  config: ProjectConfig,
  agents: readonly AgentDefinition[],
): Promise<AgentView[]> {
  const book = await loadScores(config.root, config.evaluation)
  return [...agents]
    .sort((a, b) => b.authority - a.authority)
    .map((a) => {
      const standing = agentStanding(a.id, book, config.evaluation)
      return {
        id: a.id,
        authority: a.authority,
        autonomy: standing.value,
        level: standing.level,
        scores: standing.scores,
        status: 'idle' as const,
        tokens: 0,
        budget: a.budgets.tokens_per_run,
      }
    })
}

/** The six artifacts with their owner, number of versions and last change, read from `ref`. */
export async function artifactRows(
  config: ProjectConfig,
  agents: readonly AgentDefinition[],
  ref?: string,
): Promise<ArtifactRow[]> {
  const versions = await artifactVersions(config.root, undefined, ref ? { ref } : {}).catch(() => [])
  return ARTIFACT_NAMES.map((name) => {
    const mine = versions.filter((v) => v.name === name)
    const last = mine[0]
    return {
      name,
      owner: agents.find((a) => a.permissions.artifacts.includes(name))?.id ?? '—',
      versions: mine.length,
      last: last ? { time: last.time, subject: last.subject } : undefined,
    }
  })
}

/** Notes per scope and the strongest ones now. */
export async function memoryView(config: ProjectConfig): Promise<MemoryView> {
  const memory = await openMemory(config.root, await loadMemoryPolicy(config.root))
  const all = memory.list()
  const counts = Object.fromEntries(MEMORY_SCOPES.map((s) => [s, 0])) as MemoryView['counts']
  for (const { entry } of all) counts[entry.scope]++
  return {
    counts,
    strongest: all.slice(0, STRONGEST).map(({ entry, strength }) => ({
      id: entry.id,
      scope: entry.scope,
      agent: entry.agent,
      text: entry.content,
      strength,
    })),
  }
}
