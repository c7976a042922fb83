/** A tool call a model asked for: the tool's name and its arguments as the JSON text the model wrote. */
export interface ToolCall {
  id: string
  name: string
  arguments: string
}

/** A tool a model may call: its name, what it does, and a JSON Schema of its arguments. */
export interface ToolSpec {
  name: string
  description: string
  parameters: Record<string, unknown>
  /** The arguments follow the schema exactly (OpenAI's strict function calling). */
  strict?: boolean
}

/** One message of a chat conversation, as OpenAI-compatible servers take it. */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string }

/** Tokens a call used, as the server reported them (or estimated when it did not). */
export interface TokenUsage {
  prompt_tokens: number
  completion_tokens: number
}

/** How the answer was asked to be shaped; servers that refuse one mode fall back to the next. */
export type OutputMode = 'json_schema' | 'json_object' | 'text'

/** One request to a model: who asks, for what, and the limits it runs under. */
export interface CompletionRequest {
  /** The agent, stage and 1-based attempt asking; the scripted provider matches its steps on these. */
  agent: string
  stage: string
  /** The architecture task of the call, when a stage runs one call per task. */
  task?: string
  attempt: number
  /** The model name the server knows (aliases are resolved before this point). */
  model: string
  messages: ChatMessage[]
  temperature?: number
  /** JSON Schema of the expected answer, used for structured output where the server supports it. */
  schema?: { name: string; schema: Record<string, unknown> }
  /** Tools the model may call before it answers; a server without function calling gets none. */
  tools?: ToolSpec[]
  /** Upper bound on answer tokens; a truncated answer is retried once with twice the room. */
  maxTokens?: number
  /** Deadline of the whole call, including a slow stream, in milliseconds. */
  timeoutMs: number
  signal?: AbortSignal
}

/** What a provider answered. `usage` and `cost_usd` cover every HTTP attempt of the call, retries included. */
export interface CompletionResult {
  text: string
  model: string
  usage: TokenUsage
  cost_usd: number
  /** The output mode that produced the answer. */
  mode: OutputMode
  /** HTTP attempts made (1 when the first one succeeded). */
  requests: number
  /** Tools the model asked to call instead of answering (then `text` may be empty). */
  tool_calls?: ToolCall[]
  /** Set on the call that found the server refuses function calling; later calls go without tools. */
  tools_refused?: string
}

/**
 * A source of model answers. Failures are MacdsErrors with stable `PROVIDER_*` codes and a hint
 * that names the fix; a failed call may still have used tokens, reported in the error's `usage`.
 */
export interface Provider {
  readonly name: 'openai' | 'scripted'
  complete(request: CompletionRequest): Promise<CompletionResult>
  /**
   * Told, when a run resumes, which calls the run already made (in order), so that a provider with
   * state (a script) continues where the interrupted process was.
   */
  resumeAfter?(calls: readonly { agent: string; stage: string; task?: string; attempt: number }[]): void
}

/** Adds two usages. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
  }
}

export const NO_USAGE: TokenUsage = { prompt_tokens: 0, completion_tokens: 0 }

/** A rough token count for text whose usage a server did not report: about four characters a token. */
export function estimateTokens(text: string): number {
  return tokensForChars(text.length)
}

/** The rough token count of text this many characters long. */
export function tokensForChars(chars: number): number {
  return Math.ceil(chars / 4)
}
