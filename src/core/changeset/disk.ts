import { constants, type Stats } from 'node:fs'
import { lstat, open, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { MacdsError } from '../errors.js'

/** Where a symbolic link leads: out of the work tree, inside it, nowhere, or round in a loop. */
export type LinkTarget = { leads: 'outside' | 'dangling' | 'loop' } | { leads: 'inside'; real: string }

/** The real path of the work tree root, every link in it resolved; links below it are judged, not followed. */
export async function realRootOf(root: string): Promise<string> {
  try {
    return await realpath(root)
  } catch (error) {
    throw new MacdsError(
      'WORKTREE_MISSING',
      `The work tree ${root} cannot be opened (${errno(error) ?? error}).`,
      {
        kind: 'external',
        hint: "Check that the run's work tree still exists; `macds clean` removes stale runs.",
        cause: error,
      },
    )
  }
}

/** What is at a work-tree-relative path, found without following any symbolic link. */
export type PathState =
  | { kind: 'missing' }
  | { kind: 'file'; stats: Stats }
  | { kind: 'directory' }
  | { kind: 'special' }
  /** `at` (the path itself or one of its parents) is a symbolic link. */
  | { kind: 'symlink'; at: string; target: LinkTarget }
  /** `at`, a parent of the path, is not a directory. */
  | { kind: 'blocked'; at: string }

/**
 * Looks at each segment of `path` below `realRoot` (a real path) with lstat, so that no symbolic link
 * on the way is followed, and reports the first that is a link or not a directory.
 */
export async function inspectPath(realRoot: string, path: string): Promise<PathState> {
  const segments = path.split('/')
  for (let i = 0; i < segments.length; i++) {
    const at = segments.slice(0, i + 1).join('/')
    const full = join(realRoot, at)
    let stats: Stats
    try {
      stats = await lstat(full)
    } catch (error) {
      if (errno(error) === 'ENOENT') return { kind: 'missing' }
      if (errno(error) === 'ENOTDIR') return { kind: 'blocked', at: segments.slice(0, i).join('/') }
      throw error
    }
    if (stats.isSymbolicLink()) return { kind: 'symlink', at, target: await linkTarget(realRoot, full) }
    if (i < segments.length - 1) {
      if (!stats.isDirectory()) return { kind: 'blocked', at }
      continue
    }
    if (stats.isFile()) return { kind: 'file', stats }
    return stats.isDirectory() ? { kind: 'directory' } : { kind: 'special' }
  }
  return { kind: 'missing' }
}

async function linkTarget(realRoot: string, link: string): Promise<LinkTarget> {
  let real: string
  try {
    real = await realpath(link)
  } catch (error) {
    if (errno(error) === 'ELOOP') return { leads: 'loop' }
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return { leads: 'dangling' }
    throw error
  }
  const rel = relative(realRoot, real)
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { leads: 'outside' }
  return { leads: 'inside', real: rel.split(sep).join('/') }
}

/** A regular file's bytes and the facts that tell whether it changed since it was read. */
export interface FileSnapshot {
  bytes: Buffer
  mode: number
  ino: number
  dev: number
  size: number
  mtimeMs: number
}

/**
 * Reads the regular file at `path` without following a symbolic link at its last segment
 * (`O_NOFOLLOW`); the caller has checked its parents with `inspectPath`. Undefined when what was
 * opened is not the file `expected` describes, because the tree changed in between.
 */
export async function readSnapshot(
  realRoot: string,
  path: string,
  expected: Stats,
): Promise<FileSnapshot | undefined> {
  // O_NONBLOCK: a FIFO swapped in after the check must not block the open.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
  let handle
  try {
    handle = await open(join(realRoot, path), flags)
  } catch (error) {
    if (['ELOOP', 'ENOENT', 'ENOTDIR', 'EISDIR'].includes(errno(error) ?? '')) return undefined
    throw error
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile() || !sameFile(stats, expected)) return undefined
    const bytes = await handle.readFile()
    const { ino, dev, size, mtimeMs } = stats
    return { bytes, mode: stats.mode & 0o7777, ino, dev, size, mtimeMs }
  } finally {
    await handle.close()
  }
}

/** Whether two stats describe the same file, unchanged. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeMs === b.mtimeMs
}

type FileIdentity = Pick<Stats, 'ino' | 'dev' | 'size' | 'mtimeMs'>

/** The text of UTF-8 bytes (a byte order mark kept), or undefined when they are not UTF-8. */
export function utf8Text(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** The code of a Node.js system error, if it is one. */
export function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}
