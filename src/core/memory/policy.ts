import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as validators from '../../generated/file-validators.js'
import { fileShape } from '../contracts/file-shape.js'
import { invalidFilesError } from '../contracts/issues-error.js'
import { isObject, readCheckedYaml } from '../contracts/shape.js'
import { parseDuration, policyFileSchema } from './policy-schema.js'
import { MEMORY_SCOPES, type MemoryPolicy, type RetrievalBudget } from './types.js'

/** Where the policy lives, relative to the repository root. */
export const POLICY_FILE = 'memory/policy.yaml'

/** The policy in force without a memory/policy.yaml: the same values as the one `macds init` writes. */
export const DEFAULT_MEMORY_POLICY: MemoryPolicy = {
  file: undefined,
  scopes: {
    working: { half_life_hours: 1, shared: false },
    project: { half_life_hours: 7 * 24, shared: true },
    skill: { half_life_hours: 30 * 24, shared: true },
    failure: { half_life_hours: 24, shared: false },
  },
  prune: { threshold: 0.1 },
  retrieval: { per_agent: { entries: 8, tokens: 1200 }, agents: {} },
}

const validator = fileShape(validators.policy, policyFileSchema)

/**
 * Reads `<root>/memory/policy.yaml` (the defaults when there is none). Every problem is reported at
 * once, at file:line:col, as the user error MEMORY_POLICY_INVALID.
 */
export async function loadMemoryPolicy(root: string): Promise<MemoryPolicy> {
  const file = join(root, POLICY_FILE)
  if (!existsSync(file)) return DEFAULT_MEMORY_POLICY
  const checked = await readCheckedYaml(file, validator, 'CONFIG_SHAPE')
  const parsed = checked.issues.items.every((i) => i.code !== 'YAML_SYNTAX' && i.code !== 'READ_FAILED')
  if (parsed && isObject(checked.value)) {
    for (const problem of policyProblems(checked.value)) {
      checked.issues.add('CONFIG_SHAPE', problem.pointer, problem.message, { hint: problem.hint })
    }
  }
  if (checked.issues.items.length > 0) {
    throw invalidFilesError(
      'MEMORY_POLICY_INVALID',
      `${file} is invalid`,
      [{ issues: checked.issues.items, text: checked.text }],
      'Fix memory/policy.yaml as shown; without the file the default policy applies.',
    )
  }
  return policyOf(file, checked.value as PolicyFile)
}

/** The budget of one agent's prompt: its own from `retrieval.agents`, or the common one. */
export function retrievalBudget(policy: MemoryPolicy, agent: string): RetrievalBudget {
  return policy.retrieval.agents[agent] ?? policy.retrieval.per_agent
}

interface PolicyFile {
  scopes: Record<string, { half_life: string | number; shared?: boolean }>
  prune?: { threshold?: number }
  retrieval?: { per_agent?: Partial<RetrievalBudget>; agents?: Record<string, Partial<RetrievalBudget>> }
}

interface Problem {
  pointer: string
  message: string
  hint: string
}

/** What the schema cannot say well: durations, the threshold's range, budgets that are not counts. */
function policyProblems(raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = []
  const scopes = isObject(raw.scopes) ? raw.scopes : {}
  for (const [name, scope] of Object.entries(scopes)) {
    if (!isObject(scope)) continue
    if (typeof scope.half_life !== 'string' && typeof scope.half_life !== 'number') continue
    const text = String(scope.half_life)
    if (parseDuration(text) === undefined)
      problems.push({
        pointer: `/scopes/${name}/half_life`,
        message: `half_life '${text}' is not a duration above zero`,
        hint: 'Write a number with a unit: m minutes, h hours, d days, such as 90m, 24h or 7d.',
      })
  }
  const prune = isObject(raw.prune) ? raw.prune : {}
  if (typeof prune.threshold === 'number' && !(prune.threshold >= 0 && prune.threshold < 1))
    problems.push({
      pointer: '/prune/threshold',
      message: `threshold ${prune.threshold} is outside 0 to 1`,
      hint: 'Use a strength from 0 (keep every note) to below 1, such as 0.1.',
    })
  const retrieval = isObject(raw.retrieval) ? raw.retrieval : {}
  const budgets: [string, unknown][] = [['/retrieval/per_agent', retrieval.per_agent]]
  if (isObject(retrieval.agents)) {
    for (const [agent, budget] of Object.entries(retrieval.agents))
      budgets.push([`/retrieval/agents/${agent.replaceAll('~', '~0').replaceAll('/', '~1')}`, budget])
  }
  for (const [pointer, budget] of budgets) {
    if (!isObject(budget)) continue
    for (const key of ['entries', 'tokens'] as const) {
      const value = budget[key]
      if (typeof value === 'number' && !(Number.isInteger(value) && value > 0))
        problems.push({
          pointer: `${pointer}/${key}`,
          message: `${key} ${value} is not a positive integer`,
          hint: `Use a whole number of ${key} above zero, such as ${key === 'entries' ? 8 : 1200}.`,
        })
    }
  }
  return problems
}

function policyOf(file: string, raw: PolicyFile): MemoryPolicy {
  const d = DEFAULT_MEMORY_POLICY
  const scopes = { ...d.scopes }
  for (const name of MEMORY_SCOPES) {
    const scope = raw.scopes[name]
    if (!scope) continue
    scopes[name] = {
      half_life_hours: parseDuration(String(scope.half_life)) ?? d.scopes[name].half_life_hours,
      shared: scope.shared ?? d.scopes[name].shared,
    }
  }
  const perAgent = { ...d.retrieval.per_agent, ...raw.retrieval?.per_agent }
  const agents = Object.fromEntries(
    Object.entries(raw.retrieval?.agents ?? {}).map(([id, budget]) => [id, { ...perAgent, ...budget }]),
  )
  return {
    file,
    scopes,
    prune: { threshold: raw.prune?.threshold ?? d.prune.threshold },
    retrieval: { per_agent: perAgent, agents },
  }
}
