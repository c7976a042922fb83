import { type ErrorKind, MacdsError } from '../errors.js'
import { NO_USAGE, type TokenUsage } from './types.js'

/** Stable codes of provider failures. */
export type ProviderErrorCode =
  | 'PROVIDER_NO_KEY'
  | 'PROVIDER_UNREACHABLE'
  | 'PROVIDER_AUTH'
  | 'PROVIDER_MODEL_NOT_FOUND'
  | 'PROVIDER_CONTEXT_TOO_LONG'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_SERVER_ERROR'
  | 'PROVIDER_BAD_REQUEST'
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_TRUNCATED'
  | 'PROVIDER_EMPTY'
  | 'PROVIDER_CANCELLED'
  | 'SCRIPT_NO_STEP'

/**
 * A model call that failed. It carries the tokens the failed call still used (a truncated answer
 * is paid for), so that budgets stay honest.
 */
export class ProviderError extends MacdsError {
  declare readonly code: ProviderErrorCode
  readonly usage: TokenUsage
  readonly cost_usd: number

  constructor(
    code: ProviderErrorCode,
    message: string,
    options: { kind?: ErrorKind; hint?: string; cause?: unknown; usage?: TokenUsage; cost_usd?: number },
  ) {
    super(code, message, { kind: options.kind ?? 'external', hint: options.hint, cause: options.cause })
    this.name = 'ProviderError'
    this.usage = options.usage ?? NO_USAGE
    this.cost_usd = options.cost_usd ?? 0
  }
}
