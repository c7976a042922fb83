import OpenAI from 'openai'
import type { ModelPrice, OpenAiSettings } from '../config/types.js'
import { ProviderError } from './errors.js'
import {
  cancelledError,
  emptyError,
  noKeyError,
  settledError,
  timeoutError,
  truncatedError,
} from './openai-call-errors.js'
import {
  type AdjustableParam,
  badRequestError,
  classifyFailure,
  type ErrorContext,
  exhaustedError,
} from './openai-errors.js'
import { buildBody, spentTokens, type StreamOutcome, streamOnce } from './openai-stream.js'
import { REDACTED } from '../secrets.js'
import { sleep } from '../sleep.js'
import { retryDelayMs } from './retry.js'
import {
  addUsage,
  type CompletionRequest,
  type CompletionResult,
  NO_USAGE,
  type OutputMode,
  type Provider,
  type TokenUsage,
} from './types.js'

/** What the OpenAI provider takes besides the `openai:` settings; every field has a default. */
export interface OpenAiProviderOptions {
  /** Where the API key variable is read; process.env by default. */
  env?: NodeJS.ProcessEnv
  /** Prices by server model name, for `cost_usd`; a model without a price costs 0. */
  prices?: Record<string, ModelPrice>
  /** How to wait between retries; tests pass one that records the delays and returns at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Sent when `api_key_env` is unset: local servers need no key, but the client insists on one. */
const PLACEHOLDER_KEY = 'no-key'

/** The order in which output modes are tried when a server refuses the richer one. */
const NEXT_MODE: Record<OutputMode, OutputMode> = {
  json_schema: 'json_object',
  json_object: 'text',
  text: 'text',
}

/**
 * A provider for any OpenAI-compatible chat completions server (OpenAI, vLLM, llama.cpp, Ollama...).
 * It streams every answer under the request's deadline, does its own retries (so that it can cap
 * Retry-After and count the tokens of every attempt), falls back from json_schema to json_object
 * to plain text for servers that refuse structured output, and remembers per model the mode that
 * worked. Throws PROVIDER_NO_KEY at once when `api_key_env` names an unset variable.
 */
export function createOpenAiProvider(
  settings: OpenAiSettings,
  options: OpenAiProviderOptions = {},
): Provider {
  const key = apiKey(settings, options.env ?? process.env)
  const shared: Shared = {
    settings,
    client: new OpenAI({
      baseURL: settings.base_url,
      apiKey: key ?? PLACEHOLDER_KEY,
      maxRetries: 0,
      timeout: 10 * 60_000,
      logLevel: 'off',
    }),
    prices: options.prices ?? {},
    sleep: options.sleep ?? sleep,
    modes: new Map(),
    refused: new Map(),
    redact: (text) => (key ? text.replaceAll(key, REDACTED) : text),
  }
  return { name: 'openai', complete: (request) => new Call(request, shared).run() }
}

/** State that outlives a call: the client, and the output mode that worked for each model. */
interface Shared {
  settings: OpenAiSettings
  client: OpenAI
  prices: Record<string, ModelPrice>
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  modes: Map<string, OutputMode>
  /** Parameters each model refused, left out or renamed in its later requests. */
  refused: Map<string, Set<AdjustableParam>>
  redact: (text: string) => string
}

function apiKey(settings: OpenAiSettings, env: NodeJS.ProcessEnv): string | undefined {
  if (settings.api_key_env === undefined) return undefined
  const key = env[settings.api_key_env]?.trim()
  if (!key) throw noKeyError(settings.api_key_env)
  return key
}

/** One `complete()`: its deadline, and the requests and tokens it has spent so far. */
class Call {
  private usage: TokenUsage = NO_USAGE
  private requests = 0
  /** What the server said when it refused function calling during this call. */
  private toolsRefused: string | undefined
  private readonly deadline = new AbortController()
  private readonly signal: AbortSignal
  private readonly context: ErrorContext

  constructor(
    private readonly request: CompletionRequest,
    private readonly shared: Shared,
  ) {
    const signals = [this.deadline.signal, ...(request.signal ? [request.signal] : [])]
    this.signal = AbortSignal.any(signals)
    const { base_url, api_key_env } = shared.settings
    this.context = { model: request.model, baseUrl: base_url, keyEnv: api_key_env }
  }

  async run(): Promise<CompletionResult> {
    const timer = setTimeout(() => this.deadline.abort(), this.request.timeoutMs)
    try {
      return await this.answer()
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error
      throw settledError(error, this.usage, this.cost(), this.shared.redact)
    } finally {
      clearTimeout(timer)
    }
  }

  /** Asks once, and once more with twice the room when the answer was cut off. */
  private async answer(): Promise<CompletionResult> {
    const limit = this.request.maxTokens ?? this.shared.settings.max_tokens
    let { outcome, mode } = await this.inBestMode(limit)
    if (outcome.finishReason === 'length') {
      ;({ outcome, mode } = await this.inBestMode(limit * 2))
      if (outcome.finishReason === 'length') throw truncatedError(this.context, limit * 2)
    }
    const toolCalls = outcome.toolCalls.filter((call) => call.name !== '')
    if (outcome.text.trim() === '' && toolCalls.length === 0)
      throw emptyError(this.context, outcome.finishReason)
    const text = this.shared.redact(outcome.text)
    const { model } = this.request
    const result: CompletionResult = {
      text,
      model,
      usage: this.usage,
      cost_usd: this.cost(),
      mode,
      requests: this.requests,
    }
    if (toolCalls.length > 0)
      result.tool_calls = toolCalls.map((call, i) => ({ ...call, id: call.id || `call_${i + 1}` }))
    if (this.toolsRefused !== undefined) result.tools_refused = this.toolsRefused
    return result
  }

  /** Starts from the mode remembered for the model and falls back while the server refuses it. */
  private async inBestMode(maxTokens: number): Promise<{ outcome: StreamOutcome; mode: OutputMode }> {
    const { model, schema } = this.request
    let mode: OutputMode = schema ? (this.shared.modes.get(model) ?? 'json_schema') : 'text'
    for (;;) {
      const outcome = await this.withRetries(mode, maxTokens)
      if (outcome !== 'mode_rejected') {
        if (schema) this.shared.modes.set(model, mode)
        return { outcome, mode }
      }
      mode = NEXT_MODE[mode]
    }
  }

  /** Sends the request until it succeeds, fails for good, or the retries run out. */
  private async withRetries(mode: OutputMode, maxTokens: number): Promise<StreamOutcome | 'mode_rejected'> {
    const { settings, refused } = this.shared
    const model = this.request.model
    for (let retry = 0; ; retry++) {
      const quirks = refused.get(model) ?? new Set()
      const body = buildBody(this.request, mode, maxTokens, quirks)
      const outcome = await this.send(body)
      if (outcome.error === undefined) return outcome
      const failure = classifyFailure(outcome.error, this.context, body.response_format !== undefined)
      if (failure.kind === 'mode_rejected') return 'mode_rejected'
      if (failure.kind === 'param_rejected') {
        if (quirks.has(failure.param)) throw badRequestError(this.context, failure.detail)
        refused.set(model, new Set([...quirks, failure.param]))
        if (failure.param === 'tools') this.toolsRefused = failure.detail
        retry-- // an adjusted request is not a retry
        continue
      }
      if (failure.kind === 'final') throw failure.error
      if (retry >= settings.max_retries) throw exhaustedError(failure, retry + 1, this.context)
      await this.pause(retryDelayMs(failure.headers, retry, settings))
    }
  }

  private async send(body: OpenAI.ChatCompletionCreateParamsStreaming): Promise<StreamOutcome> {
    this.throwIfStopped()
    this.requests++
    const outcome = await streamOnce(this.shared.client, body, this.signal, this.request.timeoutMs)
    this.usage = addUsage(this.usage, spentTokens(outcome, this.request))
    // An aborted stream ends quietly, without a finish reason; a complete one stands even if late.
    if (outcome.error !== undefined || outcome.finishReason === undefined) this.throwIfStopped()
    return outcome
  }

  private async pause(ms: number): Promise<void> {
    try {
      await this.shared.sleep(ms, this.signal)
    } catch (error) {
      this.throwIfStopped()
      throw error
    }
    this.throwIfStopped()
  }

  private throwIfStopped(): void {
    if (this.request.signal?.aborted) throw cancelledError(this.context)
    if (this.deadline.signal.aborted) throw timeoutError(this.context, this.request.timeoutMs)
  }

  private cost(): number {
    const price = this.shared.prices[this.request.model]
    if (!price) return 0
    return (this.usage.prompt_tokens * price.input + this.usage.completion_tokens * price.output) / 1_000_000
  }
}
