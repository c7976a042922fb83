import { APIConnectionError, APIError } from 'openai'
import { ProviderError } from './errors.js'

/** What an error message needs to know about the call: which model, where, and with whose key. */
export interface ErrorContext {
  model: string
  baseUrl: string
  /** Environment variable of the API key, undefined for servers that need none. */
  keyEnv: string | undefined
}

/** A failure worth another try after a pause; `headers` may say how long to wait. */
export interface RetryableFailure {
  kind: 'retryable'
  code: 'PROVIDER_RATE_LIMITED' | 'PROVIDER_SERVER_ERROR' | 'PROVIDER_UNREACHABLE'
  /** Status and message of the failure, for the error raised when the retries run out. */
  detail: string
  headers: Headers | undefined
  cause?: unknown
}

/**
 * What to do about a failed request: retry it, ask again in a simpler output mode (the server
 * refused `response_format`), or give up with the error.
 */
export type Failure =
  | RetryableFailure
  | { kind: 'mode_rejected'; detail: string }
  | { kind: 'param_rejected'; param: AdjustableParam; detail: string }
  | { kind: 'final'; error: ProviderError }

/**
 * Request parameters some models refuse (reasoning models want `max_completion_tokens` and take
 * only the default temperature; some servers have no function calling); a refusal adjusts the
 * request instead of failing it.
 */
export type AdjustableParam = 'max_tokens' | 'temperature' | 'tools'

/** Connection errors that mean the server is not there at all; retrying them only delays the hint. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * Sorts an error thrown by the openai client (or by reading its stream) into a Failure.
 * `sentResponseFormat` says whether the request asked for structured output, which makes a 400
 * about `response_format` or `json_schema` a refused mode rather than a bad request.
 */
export function classifyFailure(error: unknown, context: ErrorContext, sentResponseFormat: boolean): Failure {
  if (error instanceof APIConnectionError) return connectionFailure(error, context)
  if (!(error instanceof APIError)) return unexpectedFailure(error)
  const status = error.status
  const message = serverMessage(error)
  const detail = status === undefined ? message : `${status} ${message}`
  const code = String(error.code ?? '')
  const headers = error.headers

  if (status === 401 || status === 403) return final(authError(context, detail))
  if (status === 429 && code === 'insufficient_quota') return final(quotaError(context, detail))
  if (status === 429) return { kind: 'retryable', code: 'PROVIDER_RATE_LIMITED', detail, headers }
  if (code === 'model_not_found' || status === 404) return final(modelNotFoundError(context, detail))
  if (status === 413 || isContextTooLong(code, message)) return final(contextTooLongError(context, detail))
  if (status === undefined || status >= 500)
    return { kind: 'retryable', code: 'PROVIDER_SERVER_ERROR', detail, headers }
  if (sentResponseFormat && /response_format|json_schema/i.test(`${message} ${error.param} ${code}`))
    return { kind: 'mode_rejected', detail }
  const param = refusedParam(error.param, message)
  if (param) return { kind: 'param_rejected', param, detail }
  return final(badRequestError(context, detail))
}

/** The error raised when a retryable failure persists after every retry. */
export function exhaustedError(
  failure: RetryableFailure,
  attempts: number,
  context: ErrorContext,
): ProviderError {
  const { model, baseUrl } = context
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`
  if (failure.code === 'PROVIDER_RATE_LIMITED')
    return new ProviderError(
      failure.code,
      `${baseUrl} kept rate-limiting ${model}: gave up after ${tries} (last: ${failure.detail})`,
      {
        hint: 'Wait a little and run again, run fewer agents at once, or raise openai.max_retries in macds.yaml.',
      },
    )
  if (failure.code === 'PROVIDER_SERVER_ERROR')
    return new ProviderError(
      failure.code,
      `${baseUrl} failed to answer ${model}: gave up after ${tries} (last: ${failure.detail})`,
      {
        hint: "The server is in trouble: try again later, look at the server's logs, or raise openai.max_retries in macds.yaml.",
      },
    )
  return unreachableError(context, `${failure.detail} (${tries})`, failure.cause)
}

function connectionFailure(error: APIConnectionError, context: ErrorContext): Failure {
  const { code, message } = rootCause(error)
  const detail = code && !message.includes(code) ? `${message} (${code})` : message
  if (code && UNREACHABLE_CODES.has(code)) return final(unreachableError(context, detail, error))
  return { kind: 'retryable', code: 'PROVIDER_UNREACHABLE', detail, headers: undefined, cause: error }
}

/** Errors from reading the stream: a connection cut mid-answer is retried, an unparsable chunk is not. */
function unexpectedFailure(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof SyntaxError)
    return final(
      new ProviderError(
        'PROVIDER_SERVER_ERROR',
        `the server sent a chunk that is not valid JSON: ${message}`,
        {
          hint: 'Check that openai.base_url in macds.yaml points to an OpenAI-compatible API.',
          cause: error,
        },
      ),
    )
  const { code } = rootCause(error)
  const detail = `connection dropped mid-answer: ${message}${code ? ` (${code})` : ''}`
  return { kind: 'retryable', code: 'PROVIDER_SERVER_ERROR', detail, headers: undefined, cause: error }
}

function unreachableError(context: ErrorContext, detail: string, cause: unknown): ProviderError {
  return new ProviderError('PROVIDER_UNREACHABLE', `cannot reach ${context.baseUrl}: ${detail}`, {
    hint: 'Check openai.base_url in macds.yaml and that the server is running.',
    cause,
  })
}

function authError(context: ErrorContext, detail: string): ProviderError {
  const { baseUrl, keyEnv } = context
  const message = keyEnv
    ? `${baseUrl} refused the API key from $${keyEnv} (${detail})`
    : `${baseUrl} refused a request without an API key (${detail})`
  const hint = keyEnv
    ? `Check that $${keyEnv} holds a valid key with access to the model.`
    : 'Set openai.api_key_env in macds.yaml to the environment variable that holds the key.'
  return new ProviderError('PROVIDER_AUTH', message, { kind: 'user', hint })
}

function quotaError(context: ErrorContext, detail: string): ProviderError {
  return new ProviderError(
    'PROVIDER_RATE_LIMITED',
    `${context.baseUrl} says the quota is used up (${detail})`,
    {
      kind: 'user',
      hint: 'Check the plan and billing of the account behind the API key.',
    },
  )
}

function modelNotFoundError(context: ErrorContext, detail: string): ProviderError {
  return new ProviderError(
    'PROVIDER_MODEL_NOT_FOUND',
    `model '${context.model}' not found at ${context.baseUrl} (${detail})`,
    {
      kind: 'user',
      hint: 'Set the model in `models:` of macds.yaml to one the server offers (and check that openai.base_url ends with the API root, such as /v1).',
    },
  )
}

function contextTooLongError(context: ErrorContext, detail: string): ProviderError {
  return new ProviderError(
    'PROVIDER_CONTEXT_TOO_LONG',
    `the request is too long for the context window of ${context.model} (${detail})`,
    {
      kind: 'user',
      hint: 'Use a model with a larger context window, or give the agent less context.',
    },
  )
}

/** A 400 that no adjustment of the request can fix, with the server's message. */
export function badRequestError(context: ErrorContext, detail: string): ProviderError {
  return new ProviderError(
    'PROVIDER_BAD_REQUEST',
    `${context.baseUrl} refused the request for ${context.model}: ${detail}`,
    {
      hint: 'Check that the server supports the OpenAI chat completions API and the model settings in macds.yaml.',
    },
  )
}

function isContextTooLong(code: string, message: string): boolean {
  return (
    code === 'context_length_exceeded' ||
    /context length|context window|maximum context|too many tokens/i.test(message)
  )
}

/** The server's own words: the `error.message` of its body, else the client's summary without the status. */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined
  if (typeof body?.message === 'string') return body.message
  return error.message.replace(/^\d{3} /, '')
}

/** The innermost cause of a connection error and the first errno-style code on the way to it. */
function rootCause(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined
  let current = error
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { cause, code: found } = current as { cause?: unknown; code?: unknown }
    if (code === undefined && typeof found === 'string') code = found
    if (typeof cause !== 'object' || cause === null) break
    current = cause
  }
  const message = current instanceof Error && current.message ? current.message : String(code ?? current)
  return { code, message }
}

function final(error: ProviderError): Failure {
  return { kind: 'final', error }
}

/** The adjustable parameter a 400 refuses, named by its `param` field or its message. */
function refusedParam(param: unknown, message: string): AdjustableParam | undefined {
  const named = typeof param === 'string' ? param : ''
  if (named === 'max_tokens' || /'max_tokens'.*(not supported|max_completion_tokens)/i.test(message))
    return 'max_tokens'
  if (named === 'temperature' || /'temperature'.*(not supported|unsupported|only the default)/i.test(message))
    return 'temperature'
  if (
    /^(tools|tool_choice|functions)\b/.test(named) ||
    /\b(tools?|tool_choice|function calling)\b.*(not supported|unsupported|not enabled|not available)/i.test(
      message,
    )
  )
    return 'tools'
  return undefined
}
