import { MacdsError, userError } from '../errors.js'
import { changedPaths } from './repo.js'
import { gitFailure, gitTry, notAnOption } from './run.js'
import { worktreeOf } from './worktree.js'

/** The old value of a ref that must not exist yet. */
export const NO_COMMIT = '0'.repeat(40)

/**
 * Moves `ref` (a full name such as `refs/heads/main`) to `newCommit` only if it still points at
 * `oldCommit` (`NO_COMMIT`: only if it does not exist): `git update-ref <ref> <new> <old>`.
 * A ref that moved meanwhile is a GIT_REF_MOVED error and stays where it is. No work tree is
 * touched: for a branch that is checked out somewhere use advanceBranch.
 */
export async function updateRefCas(
  cwd: string,
  ref: string,
  newCommit: string,
  oldCommit: string,
  reason = 'macds: update',
): Promise<void> {
  if (!ref.startsWith('refs/'))
    throw userError('GIT_BAD_REF', `'${ref}' is not a full ref name`, 'Pass a name such as refs/heads/main.')
  notAnOption(newCommit, 'commit')
  notAnOption(oldCommit, 'commit')
  const result = await gitTry(cwd, ['update-ref', '-m', reason, ref, newCommit, oldCommit])
  if (result.code === 0) return
  const moved = /is at ([0-9a-f]+) but expected|reference already exists|unable to resolve reference/.exec(
    result.stderr,
  )
  if (moved)
    throw new MacdsError(
      'GIT_REF_MOVED',
      `${ref} moved while macds was working: ${lastLine(result.stderr)}`,
      {
        kind: 'external',
        hint: `Someone else updated ${ref}. Nothing was changed; start again from its new tip.`,
      },
    )
  throw gitFailure(['update-ref'], result)
}

/** Fast-forwards the branch checked out at `cwd` to `commit`; refuses (GIT_NOT_FAST_FORWARD) otherwise. */
export async function mergeFfOnly(cwd: string, commit: string): Promise<void> {
  notAnOption(commit, 'commit')
  const result = await gitTry(cwd, ['merge', '--ff-only', '--no-stat', '--quiet', commit])
  if (result.code === 0) return
  if (/Not possible to fast-forward|not possible to fast-forward/.test(result.stderr))
    throw new MacdsError('GIT_NOT_FAST_FORWARD', `cannot fast-forward to ${commit.slice(0, 12)}`, {
      kind: 'external',
      hint: 'The branch has commits that the target does not contain; merge them first.',
    })
  throw gitFailure(['merge'], result)
}

/**
 * Moves `branch` of the repository at `repo` from `oldCommit` to `newCommit`, which must descend
 * from it. Where the branch is checked out, its work tree is fast-forwarded, and only when no
 * tracked file is modified there (GIT_TARGET_DIRTY otherwise: the user's changes stay untouched);
 * elsewhere the ref is moved by compare-and-swap.
 */
export async function advanceBranch(
  repo: string,
  branch: string,
  newCommit: string,
  oldCommit: string,
): Promise<void> {
  notAnOption(branch, 'branch')
  const checkout = await worktreeOf(repo, branch)
  if (!checkout) return updateRefCas(repo, `refs/heads/${branch}`, newCommit, oldCommit, 'macds: integrate')
  const changed = await changedPaths(checkout.path)
  if (changed.length > 0)
    throw userError(
      'GIT_TARGET_DIRTY',
      `${branch} is checked out in ${checkout.path} with uncommitted changes (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''}); macds left it alone`,
      `Commit or stash your changes there, then fast-forward by hand: git merge --ff-only ${newCommit.slice(0, 12)}`,
    )
  if (checkout.head !== oldCommit)
    throw new MacdsError('GIT_REF_MOVED', `${branch} moved while macds was working`, {
      kind: 'external',
      hint: `Someone else updated ${branch}. Nothing was changed; start again from its new tip.`,
    })
  await mergeFfOnly(checkout.path, newCommit)
}

/** The best common ancestor of two commits, or undefined when they share no history. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | undefined> {
  const result = await gitTry(cwd, ['merge-base', notAnOption(a, 'revision'), notAnOption(b, 'revision')])
  if (result.code === 0) return result.stdout.trim()
  if (result.code === 1) return undefined
  throw gitFailure(['merge-base'], result)
}

function lastLine(text: string): string {
  return (text.trim().split('\n').at(-1) ?? '').replace(/^(fatal|error): /, '')
}
