const budget = {
  type: 'object',
  additionalProperties: false,
  properties: {
    entries: { type: 'number', description: 'notes per prompt, at most (a positive integer)' },
    tokens: {
      type: 'number',
      description: 'estimated tokens of notes per prompt, at most (a positive integer)',
    },
  },
} as const

const scope = {
  type: 'object',
  required: ['half_life'],
  additionalProperties: false,
  properties: {
    half_life: {
      type: ['string', 'number'],
      description: 'a number with a unit: m minutes, h hours, d days, such as 90m, 1h, 7d',
    },
    shared: { type: 'boolean', description: 'true when the scope is committed with the repository' },
  },
} as const

/**
 * The shape of memory/policy.yaml. Types and names only: durations, the threshold and the budgets are
 * checked by `policyProblems`, which can say better what to write.
 */
export const policyFileSchema = {
  type: 'object',
  required: ['scopes'],
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'the format version of memory/policy.yaml' },
    scopes: {
      type: 'object',
      required: ['working', 'project', 'skill', 'failure'],
      additionalProperties: false,
      properties: { working: scope, project: scope, skill: scope, failure: scope },
    },
    prune: {
      type: 'object',
      additionalProperties: false,
      properties: {
        threshold: { type: 'number', description: 'notes weaker than this are dropped (0 to 1)' },
      },
    },
    retrieval: {
      type: 'object',
      additionalProperties: false,
      properties: {
        per_agent: budget,
        agents: {
          type: 'object',
          additionalProperties: budget,
          description: 'agent id to the budget that replaces per_agent for that agent',
        },
      },
    },
  },
} as const

const UNIT_HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 24 }

/** Hours in a duration such as `90m`, `1h`, `1.5d`; undefined when it is not one or is not above zero. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([mhd])$/.exec(text.trim())
  if (!match) return undefined
  const hours = Number(match[1]) * (UNIT_HOURS[match[2] ?? ''] ?? Number.NaN)
  return hours > 0 && Number.isFinite(hours) ? hours : undefined
}
