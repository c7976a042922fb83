import { type AgentDefinition, DEFAULT_BUDGETS } from '../../src/core/agents/types.js'

/** An agent definition as loading agents/writer.yaml would give it, with `overrides` applied. */
export function agentDefinition(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    id: 'writer',
    name: 'Writer',
    description: undefined,
    authority: 5,
    contract: 'sample',
    model: 'fast',
    temperature: 0.1,
    requires_approval: false,
    budgets: { ...DEFAULT_BUDGETS, seconds_per_call: 5 },
    permissions: { files: { allow: [], deny: [] }, read: { allow: ['**'], deny: [] }, artifacts: [] },
    prompt: 'You design components.',
    file: 'agents/writer.yaml',
    prompt_file: undefined,
    ...overrides,
  }
}
