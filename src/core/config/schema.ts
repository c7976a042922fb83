import { evaluationSchema } from '../evaluation/config.js'

const name = { type: 'string', minLength: 1 } as const

/** One command of the pipeline: an argument vector, or a command line when `shell` is true. */
const pipelineStep = {
  type: 'object',
  required: ['command'],
  additionalProperties: false,
  properties: {
    command: {
      anyOf: [{ type: 'array', minItems: 1, items: name }, name],
      description: 'program and arguments, such as [npm, test]; a string only with shell: true',
    },
    shell: { type: 'boolean', description: 'run the command through the shell' },
    timeout_seconds: { type: 'number', exclusiveMinimum: 0, maximum: 86400 },
    when_changed: {
      type: 'array',
      items: name,
      description: 'globs: the step runs only when a change touched a matching file',
    },
  },
} as const

/** The shape of macds.yaml; a file that does not fit gets CONFIG_SHAPE issues with positions. */
export const configFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'the format version of macds.yaml' },
    provider: {
      enum: ['openai', 'scripted'],
      description: 'the provider used when the command line names none',
    },
    script: { ...name, description: 'the script of the scripted provider, relative to the repository' },
    openai: {
      type: 'object',
      additionalProperties: false,
      properties: {
        base_url: {
          type: 'string',
          pattern: '^https?://',
          description: 'an http(s) URL such as https://api.openai.com/v1',
        },
        api_key_env: {
          type: ['string', 'null'],
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          description:
            'the environment variable that holds the API key, or null for a server that needs none',
        },
        max_retries: { type: 'integer', minimum: 0, maximum: 10 },
        retry_after_cap_seconds: { type: 'number', minimum: 0, maximum: 3600 },
        backoff_ms: { type: 'integer', minimum: 0, maximum: 60000 },
        max_tokens: { type: 'integer', minimum: 16 },
      },
    },
    models: {
      type: 'object',
      additionalProperties: name,
      description: 'model aliases agents name (such as strong, fast) mapped to the server model names',
    },
    agent_models: {
      type: 'object',
      additionalProperties: name,
      description: 'per-agent overrides: agent id to a model alias or a server model name',
    },
    prices: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['input', 'output'],
        additionalProperties: false,
        properties: { input: { type: 'number', minimum: 0 }, output: { type: 'number', minimum: 0 } },
        description: 'US dollars per million input and output tokens',
      },
    },
    workflow: {
      type: 'object',
      additionalProperties: false,
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 64, description: 'stages run at once, at most' },
        stages: {
          type: 'array',
          minItems: 1,
          description: 'replaces the default workflow',
          items: {
            type: 'object',
            required: ['id', 'agent'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' },
              agent: name,
              contract: { ...name, description: 'default: the stage id' },
              depends_on: { type: 'array', items: name },
              pass_when: { ...name, description: 'CEL over output: true when an accepted output passes' },
              on_failure: {
                type: 'object',
                required: ['reopen'],
                additionalProperties: false,
                properties: { reopen: name, budget: { type: 'integer', minimum: 0, maximum: 100 } },
              },
            },
          },
        },
      },
    },
    pipeline: {
      type: 'object',
      additionalProperties: false,
      description:
        "the validation pipeline: commands run in the run's worktree, in the order install, format, lint, build, test",
      properties: {
        install: pipelineStep,
        format: pipelineStep,
        lint: pipelineStep,
        build: pipelineStep,
        test: pipelineStep,
        env: {
          type: 'array',
          items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          description: 'environment variables passed to the commands besides PATH, HOME and the locale',
        },
      },
    },
    guard: {
      type: 'object',
      additionalProperties: false,
      properties: {
        protected: {
          type: 'array',
          items: name,
          description: "globs of paths whose change needs a person's approval",
        },
        max_deleted_lines: { type: 'integer', minimum: 0 },
        max_file_bytes: { type: 'integer', minimum: 1 },
        trusted_may_change: {
          type: 'array',
          items: name,
          description: 'protected globs an agent with trusted autonomy may change without approval',
        },
      },
    },
    integration: {
      type: 'object',
      additionalProperties: false,
      properties: {
        strategy: { enum: ['commits', 'squash'], description: 'one commit per change, or one per run' },
        target: { ...name, description: 'the branch runs integrate into (default: the current branch)' },
      },
    },
    evaluation: evaluationSchema,
    paths: {
      type: 'object',
      additionalProperties: false,
      properties: { contracts: name, agents: name },
    },
  },
} as const
