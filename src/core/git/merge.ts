import { MacdsError } from '../errors.js'
import { asCommitter, type Identity } from './commit.js'
import { isClean } from './repo.js'
import { git, gitFailure, gitTry, notAnOption } from './run.js'

/** How a merge ended: the resulting commit, or the conflicting paths (the merge was undone). */
export type MergeResult = { ok: true; commit: string } | { ok: false; conflicts: string[] }

const MACDS: Identity = { name: 'macds', email: 'macds@macds.invalid' }

/**
 * Merges `otherRef` into the branch checked out in the worktree at `cwd` (a fast-forward when
 * possible, else a merge commit with `message` made by `author`). On conflicts the merge is
 * aborted, the worktree is left as it was, and the conflicting paths are returned. A worktree with
 * uncommitted changes is refused, since aborting a merge could lose them.
 */
export async function mergeInto(
  cwd: string,
  otherRef: string,
  message: string,
  author: Identity = MACDS,
): Promise<MergeResult> {
  notAnOption(otherRef, 'revision')
  if (!(await isClean(cwd)))
    throw new MacdsError('GIT_WORKTREE_DIRTY', `cannot merge ${otherRef}: ${cwd} has uncommitted changes`, {
      kind: 'bug',
      hint: 'Changes in a run worktree are committed before a merge; this is a bug in macds.',
    })
  const result = await gitTry(cwd, [
    ...asCommitter(author),
    'merge',
    '--ff',
    '--no-edit',
    '--no-verify',
    '--no-stat',
    '--no-gpg-sign',
    '--message',
    message,
    otherRef,
  ])
  if (result.code === 0) return { ok: true, commit: (await git(cwd, ['rev-parse', 'HEAD'])).trim() }
  const conflicts = (await git(cwd, ['diff', '--name-only', '-z', '--diff-filter=U']))
    .split('\0')
    .filter((p) => p !== '')
  const merging = (await gitTry(cwd, ['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'])).code === 0
  if (merging) await git(cwd, ['merge', '--abort'])
  if (conflicts.length > 0) return { ok: false, conflicts }
  throw gitFailure(['merge'], result)
}
