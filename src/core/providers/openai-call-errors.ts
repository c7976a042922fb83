import { ProviderError } from './errors.js'
import type { ErrorContext } from './openai-errors.js'
import type { TokenUsage } from './types.js'

// Errors of a call as a whole (no key, deadline, cancel, truncation, empty answer), as opposed to the
// failures of one HTTP request, which openai-errors.ts sorts out.

/** The API key's variable is unset or empty; raised when the provider is created, before any request. */
export function noKeyError(keyEnv: string): ProviderError {
  return new ProviderError('PROVIDER_NO_KEY', `the API key variable $${keyEnv} is not set (or empty)`, {
    kind: 'user',
    hint: `Run \`export ${keyEnv}=...\`, or change openai.api_key_env in macds.yaml, or use \`--provider scripted\`.`,
  })
}

/** The deadline of the call passed before a complete answer arrived. */
export function timeoutError(context: ErrorContext, timeoutMs: number): ProviderError {
  return new ProviderError(
    'PROVIDER_TIMEOUT',
    `no complete answer from ${context.model} within ${timeoutMs / 1000} s`,
    {
      hint: `Raise budgets.seconds_per_call of the agent, or check that the server at ${context.baseUrl} is not overloaded.`,
    },
  )
}

/** The caller aborted the call. */
export function cancelledError(context: ErrorContext): ProviderError {
  return new ProviderError('PROVIDER_CANCELLED', `the call to ${context.model} was cancelled`, {})
}

/** The answer hit the token limit even after a second try with twice the room. */
export function truncatedError(context: ErrorContext, maxTokens: number): ProviderError {
  return new ProviderError(
    'PROVIDER_TRUNCATED',
    `the answer of ${context.model} was cut off at ${maxTokens} tokens`,
    {
      hint: "Raise the agent's token limit (or openai.max_tokens in macds.yaml), ask for less, or use a model with a larger output.",
    },
  )
}

/** The server answered, but with no content at all. */
export function emptyError(context: ErrorContext, finishReason: string | undefined): ProviderError {
  return new ProviderError(
    'PROVIDER_EMPTY',
    `${context.model} gave an empty answer (finish reason: ${finishReason ?? 'none'})`,
    {
      hint: "Run again; if it persists, look at the server's logs (a content filter or a broken chat template can cause this).",
    },
  )
}

/** A copy of `error` that carries what the call spent, with the API key blanked out of every text. */
export function settledError(
  error: ProviderError,
  usage: TokenUsage,
  cost: number,
  redact: (text: string) => string,
): ProviderError {
  return new ProviderError(error.code, redact(error.message), {
    kind: error.kind,
    hint: error.hint === undefined ? undefined : redact(error.hint),
    cause: error.cause,
    usage,
    cost_usd: cost,
  })
}
