import { join } from 'node:path'
import type { AgentDefinition } from '../agents/types.js'
import { CONTRACTS_WITH_CONTEXT, selectContext, type StageContext } from '../context/select.js'
import { buildRepoMap } from '../repo/build.js'
import type { StageSpec } from '../workflow/types.js'
import type { RunContext } from './context.js'

/** Whether a stage's agent is shown repository context: its contract has a role that needs it, and its budget is not zero. */
export function wantsContext(spec: StageSpec, agent: AgentDefinition): boolean {
  return CONTRACTS_WITH_CONTEXT.has(spec.contract) && agent.budgets.context_tokens > 0
}

/**
 * The repository context of a stage's prompt, within its agent's `context_tokens`; undefined when it
 * wants none (see wantsContext) or the root is not a git work tree. The map is built once per run
 * (and comes from the cache when the files did not change).
 */
export async function repositoryContext(
  run: RunContext,
  spec: StageSpec,
  agent: AgentDefinition,
  input: Record<string, unknown>,
): Promise<StageContext | undefined> {
  const budget = agent.budgets.context_tokens
  if (!wantsContext(spec, agent)) return undefined
  const root = run.workspace.root
  // The cache stays in the repository's .macds, not in a run's worktree that goes away.
  const cache = join(run.config.root, '.macds', 'cache')
  run.repoMap ??= buildRepoMap(root, { cache }).catch(() => undefined)
  const map = await run.repoMap
  if (!map) return undefined
  const context = await selectContext({
    root,
    map,
    read: agent.permissions.read,
    contract: spec.contract,
    input,
    budget,
  })
  // A key written into a readable file never reaches the model, as with the read tools.
  const { redact } = run
  if (redact) for (const item of context.items) item.text = redact(item.text)
  return context
}
