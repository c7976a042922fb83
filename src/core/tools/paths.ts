import { constants, type Stats } from 'node:fs'
import { type FileHandle, open, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import picomatch from 'picomatch'
import type { ReadPolicy } from './types.js'
import { readCheck } from './policy.js'

/** A checked value, or the reason it was refused, written for the model. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string }

const HINT_RELATIVE = 'Give paths relative to the work tree root, such as "src/index.ts".'
/** Longer paths and globs are refused: no file needs them, and long globs compile to slow expressions. */
const MAX_CHARS = 1000

/**
 * Normalizes a path or glob the model gave into work-tree-relative form (forward slashes, no `./`,
 * no empty segments) or refuses it: absolute paths, `~`, `..` segments and anything inside `.git`
 * never reach the file system. An empty result (".") means the root itself.
 */
export function checkRelative(input: string, what: 'path' | 'glob'): Checked<string> {
  if (input.includes('\0')) return { ok: false, error: `The ${what} contains a NUL character.` }
  if (input.length > MAX_CHARS)
    return {
      ok: false,
      error: `The ${what} is ${input.length} characters long; at most ${MAX_CHARS} are accepted.`,
    }
  if (input.startsWith('/') || input.startsWith('\\') || /^[A-Za-z]:/.test(input) || isAbsolute(input))
    return { ok: false, error: `Absolute ${what}s are refused ("${input}"). ${HINT_RELATIVE}` }
  if (input === '~' || input.startsWith('~/'))
    return {
      ok: false,
      error: `"${input}" points into a home directory; only the work tree can be read. ${HINT_RELATIVE}`,
    }
  const segments = input.split(/[\\/]/)
  if (segments.includes('..'))
    return {
      ok: false,
      error: `The ${what} "${input}" contains "..": only files inside the work tree can be read. ${HINT_RELATIVE}`,
    }
  const kept = segments.filter((s) => s !== '' && s !== '.')
  if (kept.some(isGitDir))
    return {
      ok: false,
      error: `"${input}" is inside git's own directory (.git), which is not readable. Read the work tree's files instead.`,
    }
  return { ok: true, value: kept.join('/') }
}

function isGitDir(segment: string): boolean {
  return segment.toLowerCase() === '.git'
}

/** Whether a work-tree-relative path lies inside a `.git` directory (or is one). */
export function inGitDir(path: string): boolean {
  return path.split('/').some(isGitDir)
}

/**
 * Whether `policy` lets `path` be read; if not, why, naming the glob so that the model understands
 * the rule rather than retrying variants of the same path.
 */
export function checkPolicy(policy: ReadPolicy, path: string): Checked<string> {
  if (readCheck(policy)(path)) return { ok: true, value: path }
  const deny = policy.deny.find((glob) => picomatch.isMatch(path, glob, { dot: true, nocase: true }))
  const why = deny
    ? `it matches the deny glob "${deny}" of the read policy (secrets and macds's own state are not readable)`
    : `it matches none of the allowed globs (${policy.allow.map((g) => `"${g}"`).join(', ') || 'none'})`
  return {
    ok: false,
    error: `Reading "${path}" is not permitted: ${why}. Do not try other paths to the same file.`,
  }
}

/** A file opened for reading after every guard passed. */
export interface OpenedFile {
  handle: FileHandle
  stats: Stats
}

/**
 * Opens a regular file at work-tree-relative `path` (already through `checkRelative` and the policy)
 * if its real path stays inside the root and is itself readable under `policy`: a symbolic link,
 * to a file or on a directory of the path, that leads outside the root, into `.git` or to a denied
 * file is refused. After opening, the path is resolved again and must still name the opened file, so
 * that a link swapped in between is caught. The caller closes the handle.
 */
export async function openInside(
  root: string,
  path: string,
  policy: ReadPolicy,
): Promise<Checked<OpenedFile>> {
  const realRoot = await realpath(root)
  const first = await resolveInside(realRoot, path, policy)
  if (!first.ok) return first
  const target = join(realRoot, first.value)
  let handle: FileHandle
  try {
    const before = await stat(target)
    if (before.isDirectory()) return { ok: false, error: directory(path) }
    if (!before.isFile())
      return { ok: false, error: `"${path}" is not a regular file; only regular files can be read.` }
    // O_NONBLOCK: a FIFO swapped in after the check must not block the open.
    handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    return { ok: false, error: missing(path, error) }
  }
  try {
    const stats = await handle.stat()
    const again = await resolveInside(realRoot, path, policy)
    const now = again.ok ? await stat(join(realRoot, again.value)) : undefined
    if (again.ok && now && stats.isFile() && now.ino === stats.ino && now.dev === stats.dev)
      return { ok: true, value: { handle, stats } }
    await handle.close()
    return { ok: false, error: `"${path}" changed while it was being opened. Try again.` }
  } catch (error) {
    await handle.close()
    return { ok: false, error: missing(path, error) }
  }
}

function directory(path: string): string {
  const glob = path === '' ? '**' : `${path}/**`
  return `"${path || '.'}" is a directory. Call list_files with the glob "${glob}" to see its files.`
}

/** The real path of `path` relative to `realRoot`, refused when it leaves the root, enters `.git` or is denied. */
async function resolveInside(realRoot: string, path: string, policy: ReadPolicy): Promise<Checked<string>> {
  let real: string
  try {
    real = await realpath(join(realRoot, path))
  } catch (error) {
    return { ok: false, error: missing(path, error) }
  }
  const rel = relative(realRoot, real)
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    return {
      ok: false,
      error: `"${path}" leads outside the work tree through a symbolic link; links out of the work tree are not followed.`,
    }
  const resolved = rel.split(sep).join('/')
  if (resolved === path) return { ok: true, value: resolved }
  if (inGitDir(resolved))
    return {
      ok: false,
      error: `"${path}" is a symbolic link into git's own directory (.git), which is not readable.`,
    }
  const allowed = checkPolicy(policy, resolved)
  if (!allowed.ok)
    return {
      ok: false,
      error: `"${path}" is a symbolic link to a file that may not be read. ${allowed.error}`,
    }
  return { ok: true, value: resolved }
}

function missing(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return `"${path}" does not exist. Call list_files (for example with "**/${path.split('/').at(-1)}") to find the right path.`
  if (code === 'ELOOP')
    return `"${path}" is a symbolic link that could not be followed safely (a loop, or one swapped in while it was read).`
  if (code === 'EACCES' || code === 'EPERM') return `"${path}" cannot be read: the file system denies access.`
  throw error
}
