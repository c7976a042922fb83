import type { ProjectConfig } from './load.js'
import { DEFAULT_EVALUATION } from '../evaluation/config.js'
import { DEFAULT_GUARD } from './workspace.js'

/** The configuration of a repository without macds.yaml, and the base every macds.yaml is merged onto. */
export const DEFAULT_CONFIG: Omit<ProjectConfig, 'root' | 'file' | 'workflow'> = {
  provider: 'openai',
  script: undefined,
  openai: {
    base_url: 'https://api.openai.com/v1',
    api_key_env: 'OPENAI_API_KEY',
    max_retries: 3,
    retry_after_cap_seconds: 60,
    backoff_ms: 500,
    max_tokens: 8192,
  },
  models: { strong: 'gpt-4.1', fast: 'gpt-4.1-mini' },
  agent_models: {},
  prices: {
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  },
  paths: { contracts: 'contracts', agents: 'agents' },
  pipeline: { steps: [], env: [] },
  guard: DEFAULT_GUARD,
  integration: { strategy: 'commits', target: undefined },
  evaluation: DEFAULT_EVALUATION,
}
