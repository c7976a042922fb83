import type OpenAI from 'openai'
import type { AdjustableParam } from './openai-errors.js'
import { fitsStrictSubset } from './strict-schema.js'
import {
  type ChatMessage,
  type CompletionRequest,
  estimateTokens,
  NO_USAGE,
  type OutputMode,
  type TokenUsage,
  type ToolCall,
} from './types.js'

/** How one HTTP request ended. Reading the stream never throws: a failure lands in `error`. */
export interface StreamOutcome {
  text: string
  /** Tool calls the answer asked for, assembled from their streamed pieces. */
  toolCalls: ToolCall[]
  /** The `finish_reason` of the answer; undefined when the stream ended without one. */
  finishReason: string | undefined
  /** Usage the server reported in its last chunk, if it did. */
  usage: TokenUsage | undefined
  /** Whether the server accepted the request and began to answer (so the prompt was likely paid for). */
  started: boolean
  error?: unknown
}

/**
 * The chat completions request for `mode`: always streamed with usage, and with a `response_format`
 * for the structured modes. `strict` is only claimed for schemas inside OpenAI's strict subset.
 * Parameters the model refused earlier are adjusted: `max_completion_tokens` instead of
 * `max_tokens`, no temperature, no tools.
 */
export function buildBody(
  request: CompletionRequest,
  mode: OutputMode,
  maxTokens: number,
  refused: ReadonlySet<AdjustableParam> = new Set(),
): OpenAI.ChatCompletionCreateParamsStreaming {
  const body: OpenAI.ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages: request.messages.map(wireMessage),
    stream: true,
    stream_options: { include_usage: true },
  }
  if (refused.has('max_tokens')) body.max_completion_tokens = maxTokens
  else body.max_tokens = maxTokens
  if (request.temperature !== undefined && !refused.has('temperature')) body.temperature = request.temperature
  if (request.tools && request.tools.length > 0 && !refused.has('tools')) {
    body.tools = request.tools.map((tool) => ({ type: 'function', function: tool }))
  }
  if (mode === 'json_object') body.response_format = { type: 'json_object' }
  if (mode === 'json_schema' && request.schema) {
    const { name, schema } = request.schema
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: schemaName(name), schema, strict: fitsStrictSubset(schema) },
    }
  }
  return body
}

/**
 * Sends one streaming request and reads the answer to its end, concatenating `delta.content`.
 * An aborted `signal` ends the read early and quietly (the client does not throw then); the caller
 * tells a deadline from a cancel by its own signals.
 */
export async function streamOnce(
  client: OpenAI,
  body: OpenAI.ChatCompletionCreateParamsStreaming,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<StreamOutcome> {
  const outcome: StreamOutcome = {
    text: '',
    toolCalls: [],
    finishReason: undefined,
    usage: undefined,
    started: false,
  }
  try {
    // The client's own timeout only guards the headers; it is set past the caller's deadline so the
    // deadline, which covers the stream too, always fires first.
    const stream = await client.chat.completions.create(body, { signal, timeout: timeoutMs + 1000 })
    outcome.started = true
    for await (const chunk of stream) {
      const choice = chunk.choices?.find((c) => c.index === 0) ?? chunk.choices?.[0]
      if (choice?.delta?.content) outcome.text += choice.delta.content
      for (const piece of choice?.delta?.tool_calls ?? []) addToolCallPiece(outcome.toolCalls, piece)
      if (choice?.finish_reason) outcome.finishReason = choice.finish_reason
      if (chunk.usage) outcome.usage = reportedUsage(chunk.usage)
    }
  } catch (error) {
    outcome.error = error
  }
  return outcome
}

/** Adds a streamed piece of a tool call: the first piece of an index names it, later ones extend its arguments. */
function addToolCallPiece(calls: ToolCall[], piece: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall): void {
  const call = (calls[piece.index] ??= { id: '', name: '', arguments: '' })
  if (piece.id) call.id = piece.id
  if (piece.function?.name) call.name += piece.function.name
  if (piece.function?.arguments) call.arguments += piece.function.arguments
}

/** A message as the chat completions API takes it. */
function wireMessage(message: ChatMessage): OpenAI.ChatCompletionMessageParam {
  if (message.role !== 'assistant') return message
  if (!message.tool_calls?.length) return { role: 'assistant', content: message.content }
  return {
    role: 'assistant',
    content: message.content,
    tool_calls: message.tool_calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
  }
}

/**
 * The tokens one request cost: what the server reported, else an estimate once the server began
 * to answer (prompt = every message's content), else nothing (a refused request is not billed).
 */
export function spentTokens(outcome: StreamOutcome, request: CompletionRequest): TokenUsage {
  if (outcome.usage) return outcome.usage
  if (!outcome.started) return NO_USAGE
  return {
    prompt_tokens: estimateTokens(request.messages.map((m) => m.content).join('\n')),
    completion_tokens: estimateTokens(outcome.text),
  }
}

function reportedUsage(usage: OpenAI.CompletionUsage): TokenUsage {
  return { prompt_tokens: usage.prompt_tokens ?? 0, completion_tokens: usage.completion_tokens ?? 0 }
}

/** OpenAI accepts schema names of up to 64 letters, digits, `_` and `-`. */
function schemaName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer'
}
