import type { AgentDefinition } from '../agents/types.js'
import { selectContext, type StageContext } from '../context/select.js'
import { buildRepoMap } from '../repo/build.js'
import type { StageSpec } from '../workflow/types.js'
import type { RunContext } from './context.js'

/** The contracts whose agents are shown repository context; see selectContext for what each gets. */
const WITH_CONTEXT = new Set([
  'requirements',
  'architecture',
  'implementation',
  'infra',
  'review',
  'build_test',
])

/**
 * The repository context of a stage's prompt, within its agent's `context_tokens`; undefined for
 * contracts without context, a zero budget, or a root that is not a git work tree. The map is built
 * once per run (and comes from the cache when the files did not change).
 */
export async function repositoryContext(
  run: RunContext,
  spec: StageSpec,
  agent: AgentDefinition,
  input: Record<string, unknown>,
): Promise<StageContext | undefined> {
  const budget = agent.budgets.context_tokens
  if (!WITH_CONTEXT.has(spec.contract) || budget <= 0) return undefined
  run.repoMap ??= buildRepoMap(run.config.root).catch(() => undefined)
  const map = await run.repoMap
  if (!map) return undefined
  const root = run.config.root
  return selectContext({ root, map, read: agent.permissions.read, contract: spec.contract, input, budget })
}
