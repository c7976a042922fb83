import type { ArtifactName } from '../artifacts/names.js'

/** Limits an agent works under; every attempt, repairs included, is charged against them. */
export interface AgentBudgets {
  /** Tokens (prompt and completion) the agent may use in one run. */
  tokens_per_run: number
  /** Model calls the agent may make for one stage, repairs included. */
  calls_per_stage: number
  /** Deadline of one model call, stream included. */
  seconds_per_call: number
  /** Times an answer with error violations is sent back for repair. */
  max_repairs: number
  /** Tokens of repository context (map, files, diff) put in each prompt. */
  context_tokens: number
}

/** A valid agent definition, read from agents/<id>.yaml (and agents/<id>.md for the prompt). */
export interface AgentDefinition {
  id: string
  name: string
  description: string | undefined
  /** Rank in conflicts: the higher authority prevails. */
  authority: number
  /** The contract the agent's answers are validated against (a stage may name another). */
  contract: string
  /** A model alias of macds.yaml. */
  model: string
  temperature: number | undefined
  /** Whether each accepted output waits at a gate for a person's approval. */
  requires_approval: boolean
  budgets: AgentBudgets
  permissions: {
    files: { allow: string[]; deny: string[] }
    /** What its read-only tools may read; the secrets denied by default are always in `deny`. */
    read: { allow: string[]; deny: string[] }
    artifacts: ArtifactName[]
  }
  /** The role text. */
  prompt: string
  /** Where the definition and the prompt were read from. */
  file: string
  prompt_file: string | undefined
}

export const DEFAULT_BUDGETS: AgentBudgets = {
  tokens_per_run: 200_000,
  calls_per_stage: 6,
  seconds_per_call: 300,
  max_repairs: 2,
  context_tokens: 8_000,
}
