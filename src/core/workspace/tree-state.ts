import { git } from '../git/index.js'

/** The commit checked out in a worktree. */
export async function head(worktree: string): Promise<string> {
  return (await git(worktree, ['rev-parse', 'HEAD'])).trim()
}

/** Those of `paths` (relative to the worktree's top) that git tracks and that differ from HEAD. */
export async function trackedChanges(worktree: string, paths: readonly string[]): Promise<string[]> {
  const out = await git(worktree, ['diff', '--name-only', '-z', 'HEAD'])
  const modified = new Set(out.split('\0'))
  return paths.filter((p) => modified.has(p))
}

/** Paths changed between a commit and HEAD, relative to the work tree's top. */
export async function changedSince(worktree: string, commit: string): Promise<string[]> {
  const out = await git(worktree, ['diff', '--name-only', '-z', commit, 'HEAD'])
  return out.split('\0').filter((p) => p !== '')
}
