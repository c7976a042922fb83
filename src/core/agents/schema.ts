import { ARTIFACT_NAMES } from '../artifacts/names.js'

const text = { type: 'string', minLength: 1 } as const
const globs = { type: 'array', items: text } as const

/** The shape of agents/<id>.yaml; a file that does not fit gets AGENT_SHAPE issues with positions. */
export const agentFileSchema = {
  type: 'object',
  required: ['id', 'name', 'authority', 'contract', 'model'],
  additionalProperties: false,
  properties: {
    id: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_-]*$',
      description: 'the agent id, equal to the file name',
    },
    name: text,
    description: { type: 'string' },
    authority: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'rank in conflicts: the higher authority prevails',
    },
    contract: { ...text, description: 'the contract its answers are validated against' },
    model: { ...text, description: 'a model alias from `models:` in macds.yaml, such as strong or fast' },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    requires_approval: {
      type: 'boolean',
      description: "true: a person approves each of the agent's accepted outputs before the run acts on it",
    },
    budgets: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tokens_per_run: { type: 'integer', minimum: 1 },
        calls_per_stage: { type: 'integer', minimum: 1 },
        seconds_per_call: { type: 'number', exclusiveMinimum: 0 },
        max_repairs: { type: 'integer', minimum: 0, maximum: 10 },
        context_tokens: {
          type: 'integer',
          minimum: 0,
          description: 'tokens of repository context (map, files, diff) put in each prompt',
        },
      },
    },
    permissions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        files: {
          type: 'object',
          additionalProperties: false,
          properties: { allow: globs, deny: globs },
          description: 'the files its ChangeSets may write',
        },
        read: {
          type: 'object',
          additionalProperties: false,
          properties: { allow: globs, deny: globs },
          description:
            'the files its tools may read: allow replaces the default (everything); deny adds to the secrets always denied',
        },
        artifacts: {
          type: 'array',
          uniqueItems: true,
          items: { enum: [...ARTIFACT_NAMES] },
          description: 'the artifacts this agent owns and alone may change',
        },
      },
    },
    prompt: { ...text, description: 'the role text; or put it in agents/<id>.md' },
  },
} as const
