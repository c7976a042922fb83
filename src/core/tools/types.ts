/**
 * What a tool answers. A refusal or a mistake in the call is `ok: false` with an error written for the
 * model to read: what was refused, why, and what it may do instead. Tools throw only for bugs, for
 * cancellation (the signal's reason) and when git itself cannot run.
 */
export type ToolResult = { ok: true; content: string } | { ok: false; error: string }

/**
 * Which paths of the work tree a tool may read: a path must match some `allow` glob and no `deny`
 * glob. Globs are picomatch globs relative to the work tree root, such as `src/**` or `.macds/**`; they
 * match dot files, and deny globs ignore case.
 */
export interface ReadPolicy {
  allow: readonly string[]
  deny: readonly string[]
}

/** One call a model made: the tool's name and its arguments, as an object or as a JSON string. */
export interface ToolCall {
  name: string
  arguments: unknown
}

/** Where and for whom a tool runs. */
export interface ToolContext {
  /** The work tree root; every path is confined to it. */
  root: string
  read: ReadPolicy
  /** Stops git and file reads; the tool then rejects with the signal's reason. */
  signal?: AbortSignal
}

/** A successful result. */
export function ok(content: string): ToolResult {
  return { ok: true, content }
}

/** A refusal or a mistake, explained for the model. */
export function refused(error: string): ToolResult {
  return { ok: false, error }
}
