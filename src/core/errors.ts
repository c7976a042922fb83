/**
 * Who has to act on an error:
 * - `user`: the input or configuration is wrong; the hint says what to change.
 * - `external`: something outside macds failed (network, git, a model); retrying or fixing it may help.
 * - `bug`: macds itself is wrong; a stack trace is worth showing.
 */
export type ErrorKind = 'user' | 'bug' | 'external'

export interface MacdsErrorOptions {
  kind: ErrorKind
  hint?: string
  cause?: unknown
}

/**
 * The one error type macds throws. `code` is stable (scripts and tests may match on it),
 * the message says what is wrong and the hint says what to do next.
 */
export class MacdsError extends Error {
  readonly code: string
  readonly kind: ErrorKind
  readonly hint: string | undefined

  constructor(code: string, message: string, options: MacdsErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'MacdsError'
    this.code = code
    this.kind = options.kind
    this.hint = options.hint
  }
}

/** A user error: bad input or configuration, printed without a stack. */
export function userError(code: string, message: string, hint?: string, cause?: unknown): MacdsError {
  return new MacdsError(code, message, { kind: 'user', hint, cause })
}

/** Wraps anything thrown into a MacdsError; unknown throwables are bugs. */
export function toMacdsError(error: unknown): MacdsError {
  if (error instanceof MacdsError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new MacdsError('INTERNAL', message, {
    kind: 'bug',
    hint: 'This is a bug in macds. Please report it with the command you ran.',
    cause: error,
  })
}
