import { createHash } from 'node:crypto'
import { lstat, readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { nulRecords, runGit } from '../tools/git.js'

/** Files up to this size are compared by content; larger ones by size and modification time. */
const HASHED_BYTES = 1024 * 1024
/** Files read at the same time while taking a snapshot. */
const PARALLEL = 16
const GIT_LIMITS = { timeoutMs: 120_000, maxBytes: 256 * 1024 * 1024 }

/**
 * What `git status` shows of a work tree: every changed or untracked (not ignored) path, relative
 * to the repository root, with its status letters and a fingerprint of its content.
 */
export type WorktreeState = Map<string, string>

/**
 * A snapshot of the work tree at `root`, or undefined when git cannot tell (not a repository, no
 * git). Two snapshots taken around a step give the files the step wrote (`changedPaths`). Runs git
 * without hooks or fsmonitor, and without taking the index lock.
 */
export async function worktreeState(root: string, signal?: AbortSignal): Promise<WorktreeState | undefined> {
  const args = ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']
  const output = await runGit(args, { cwd: root, ...GIT_LIMITS, signal }).catch((error: unknown) => {
    if (signal?.aborted) throw error
    return undefined // git is missing: macds says so elsewhere
  })
  if (output === undefined || output.code !== 0 || output.truncated || output.timedOut) return undefined
  const entries = nulRecords(output).map((record) => ({ status: record.slice(0, 2), path: record.slice(3) }))
  const state: WorktreeState = new Map()
  for (let i = 0; i < entries.length; i += PARALLEL) {
    const batch = entries.slice(i, i + PARALLEL)
    const prints = await Promise.all(batch.map((entry) => fingerprint(join(root, entry.path))))
    batch.forEach((entry, j) => state.set(entry.path, `${entry.status} ${prints[j]}`))
  }
  return state
}

/** The paths whose status or content differs between two snapshots, sorted. */
export function changedPaths(before: WorktreeState, after: WorktreeState): string[] {
  const paths = new Set([...before.keys(), ...after.keys()])
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort()
}

async function fingerprint(path: string): Promise<string> {
  try {
    const stat = await lstat(path)
    if (stat.isSymbolicLink()) return `link ${await readlink(path)}`
    if (!stat.isFile()) return 'other'
    if (stat.size > HASHED_BYTES) return `size ${stat.size} ${stat.mtimeMs}`
    return createHash('sha1')
      .update(await readFile(path))
      .digest('hex')
  } catch {
    return 'missing'
  }
}
