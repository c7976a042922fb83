import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { MacdsError } from '../errors.js'
import { git, gitFailure, gitTry, notAnOption } from './run.js'

/**
 * Creates `branch` at `base` and checks it out in a new worktree at `dir` (relative to `repo`),
 * without running hooks. Fails when the branch exists or `dir` is not empty.
 */
export async function addWorktree(repo: string, dir: string, branch: string, base: string): Promise<void> {
  notAnOption(branch, 'branch')
  notAnOption(base, 'revision')
  const path = resolve(repo, dir)
  const result = await gitTry(repo, ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, base])
  if (result.code === 0) return
  if (/already exists/.test(result.stderr))
    throw new MacdsError(
      'GIT_WORKTREE_EXISTS',
      `cannot create worktree ${path}: ${firstLine(result.stderr)}`,
      {
        kind: 'user',
        hint: 'Remove the leftover branch or directory (`macds clean`) and try again.',
      },
    )
  throw gitFailure(['worktree', 'add'], result)
}

/**
 * Removes the worktree at `dir` (relative to `repo`) with whatever it contains, and forgets it.
 * A worktree whose directory is already gone is pruned from git's records instead.
 */
export async function removeWorktree(repo: string, dir: string): Promise<void> {
  const path = resolve(repo, dir)
  const result = await gitTry(repo, ['worktree', 'remove', '--force', path])
  if (result.code === 0) return
  if (existsSync(path)) throw gitFailure(['worktree', 'remove'], result)
  await git(repo, ['worktree', 'prune'])
}

/** Deletes a local branch even when it is not merged; a branch checked out somewhere is refused by git. */
export async function deleteBranch(repo: string, branch: string): Promise<void> {
  notAnOption(branch, 'branch')
  await git(repo, ['branch', '--delete', '--force', branch])
}

/** One checkout of a repository: the main work tree or a linked worktree. */
export interface Worktree {
  path: string
  /** The commit checked out; undefined in a repository without commits. */
  head: string | undefined
  /** The branch checked out, as a short name; undefined when detached. */
  branch: string | undefined
}

/** Every work tree of the repository at `repo`, the main one first. */
export async function listWorktrees(repo: string): Promise<Worktree[]> {
  const out = await git(repo, ['worktree', 'list', '--porcelain', '-z'])
  const trees: Worktree[] = []
  let current: Worktree | undefined
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length), head: undefined, branch: undefined }
      trees.push(current)
    } else if (current && field.startsWith('HEAD ')) {
      const head = field.slice('HEAD '.length)
      current.head = /^0+$/.test(head) ? undefined : head
    } else if (current && field.startsWith('branch ')) {
      current.branch = field.slice('branch '.length).replace(/^refs\/heads\//, '')
    }
  }
  return trees
}

/** The work tree where `branch` is checked out, if any. */
export async function worktreeOf(repo: string, branch: string): Promise<Worktree | undefined> {
  return (await listWorktrees(repo)).find((w) => w.branch === branch)
}

function firstLine(text: string): string {
  return (text.trim().split('\n').at(-1) ?? '').replace(/^fatal: /, '')
}
