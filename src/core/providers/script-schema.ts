const tokens = { type: 'integer', minimum: 0 } as const

/** The script format (version 1). */
export const scriptFileSchema = {
  type: 'object',
  required: ['version', 'steps'],
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'the script format version' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['agent'],
        additionalProperties: false,
        properties: {
          agent: { type: 'string', minLength: 1 },
          stage: { type: 'string', minLength: 1 },
          task: { type: 'string', minLength: 1 },
          attempt: { type: 'integer', minimum: 1 },
          output: {},
          raw: { type: 'string' },
          tool_calls: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['name', 'arguments'],
              additionalProperties: false,
              properties: { name: { type: 'string', minLength: 1 }, arguments: {} },
            },
          },
          usage: {
            type: 'object',
            required: ['prompt_tokens', 'completion_tokens'],
            additionalProperties: false,
            properties: { prompt_tokens: tokens, completion_tokens: tokens },
          },
          delay_ms: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const
