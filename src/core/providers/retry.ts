/** Longest exponential backoff between two attempts, whatever `backoff_ms` and the retry count say. */
export const MAX_BACKOFF_MS = 8000

/** The settings that decide how long macds waits before retrying a failed request. */
export interface RetryTiming {
  /** Longest wait accepted from a server's Retry-After, in seconds. */
  retry_after_cap_seconds: number
  /** First backoff delay when the server names none, doubled on each retry. */
  backoff_ms: number
}

/**
 * How long to wait before retry number `retryIndex` (0 for the first retry). The server's
 * `retry-after-ms` or `retry-after` header wins, capped at `retry_after_cap_seconds` so that a server
 * asking for an hour cannot stall a run; without one the delay doubles from `backoff_ms` up to 8 s,
 * shortened by up to 10% of jitter so that parallel agents do not retry in lockstep.
 */
export function retryDelayMs(
  headers: Headers | undefined,
  retryIndex: number,
  timing: RetryTiming,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const asked = serverDelayMs(headers, now)
  if (asked !== undefined) return Math.min(asked, timing.retry_after_cap_seconds * 1000)
  const backoff = Math.min(timing.backoff_ms * 2 ** retryIndex, MAX_BACKOFF_MS)
  return Math.round(backoff * (1 - 0.1 * random()))
}

/** The delay a response asks for in its headers, in milliseconds, or undefined when it names none. */
export function serverDelayMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = parseNonNegative(headers?.get('retry-after-ms'))
  if (ms !== undefined) return Math.round(ms)
  const value = headers?.get('retry-after')?.trim()
  if (!value) return undefined
  const seconds = parseNonNegative(value)
  if (seconds !== undefined) return Math.round(seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function parseNonNegative(text: string | null | undefined): number | undefined {
  if (!text || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined
  return Number(text)
}
