import { SEVERITIES } from './types.js'

/** The shape of a contract file itself; a file that does not fit gets CONTRACT_SHAPE issues. */
export const contractFileSchema = {
  type: 'object',
  required: ['name', 'version', 'input', 'output', 'validation_rules'],
  additionalProperties: false,
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]*$',
      description: 'the contract name, equal to the file name without .yaml',
    },
    version: { type: 'string', minLength: 1, description: 'a version string such as "1.0.0"' },
    description: { type: 'string' },
    input: { type: 'object', description: 'JSON Schema of what the agent is given' },
    output: { type: 'object', description: 'JSON Schema of what the agent answers' },
    validation_rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'severity', 'condition', 'message', 'suggested_fix'],
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
            pattern: '^[A-Z][A-Z0-9_]*-[0-9]+$',
            description: 'a rule id such as ARCH-001',
          },
          severity: { enum: [...SEVERITIES] },
          condition: {
            type: 'string',
            minLength: 1,
            description: 'a CEL expression that is true for a valid value',
          },
          message: { type: 'string', minLength: 1 },
          suggested_fix: { type: 'string', minLength: 1 },
          applies_to: { enum: ['input', 'output'] },
          location: {
            type: 'string',
            pattern: '^(/.*)?$',
            description:
              'JSON pointer reported with a violation; default: the first field the condition reads',
          },
          description: { type: 'string' },
        },
      },
    },
  },
} as const
