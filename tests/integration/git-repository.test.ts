import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  addWorktree,
  deleteBranch,
  listWorktrees,
  openRepository,
  removeWorktree,
  repositoryState,
} from '../../src/core/git/index.js'
import { gitRepo, installHook, sh, writeFiles } from '../helpers/git-repo.js'
import { tempDir } from '../helpers/temp.js'

describe('the state of a repository', () => {
  it('reports root, branch, head and cleanliness', async () => {
    const repo = await gitRepo()
    const state = await openRepository(join(repo))
    expect(state).toEqual({
      root: repo,
      branch: 'main',
      detached: false,
      head: sh(repo, 'rev-parse', 'HEAD'),
      clean: true,
    })
    writeFiles(repo, { 'untracked.txt': 'x\n' })
    expect((await repositoryState(repo)).clean).toBe(true)
    writeFiles(repo, { 'README.md': 'changed\n' })
    expect((await repositoryState(repo)).clean).toBe(false)
  })

  it.each([
    [
      'not a repository',
      async () => tempDir(),
      'GIT_NOT_A_REPOSITORY',
      /not inside a git repository/,
      /git init/,
    ],
    [
      'a repository without commits',
      async () => {
        const dir = await tempDir()
        sh(dir, 'init', '--quiet', '--initial-branch=main')
        return dir
      },
      'GIT_NO_COMMITS',
      /has no commits yet/,
      /first commit/,
    ],
    [
      'a detached HEAD',
      async () => {
        const dir = await gitRepo()
        sh(dir, 'switch', '--quiet', '--detach', 'HEAD')
        return dir
      },
      'GIT_DETACHED_HEAD',
      /HEAD is detached at [0-9a-f]{12}/,
      /git switch <branch>/,
    ],
  ])('refuses %s with a hint', async (_what, make, code, message, hint) => {
    const dir = await make()
    const error = await openRepository(dir).catch((e: unknown) => e)
    expect(error).toMatchObject({ code, kind: 'user' })
    expect((error as Error).message).toMatch(message)
    expect((error as { hint: string }).hint).toMatch(hint)
  })
})

describe('worktrees', () => {
  it('are added on a new branch at a base and removed with their changes', async () => {
    const repo = await gitRepo()
    const base = sh(repo, 'rev-parse', 'HEAD')
    const dir = join(repo, '.macds', 'worktrees', 'r1')
    installHook(repo, 'post-checkout', `touch "${join(repo, 'hook-ran')}"`)

    await addWorktree(repo, '.macds/worktrees/r1', 'macds/r1', base)

    expect(sh(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('macds/r1')
    expect(sh(dir, 'rev-parse', 'HEAD')).toBe(base)
    expect(existsSync(join(repo, 'hook-ran'))).toBe(false)
    expect((await listWorktrees(repo)).map((w) => w.branch)).toEqual(['main', 'macds/r1'])
    await expect(addWorktree(repo, '.macds/worktrees/r2', 'macds/r1', base)).rejects.toMatchObject({
      code: 'GIT_WORKTREE_EXISTS',
    })

    writeFiles(dir, { 'scratch.txt': 'uncommitted\n', 'README.md': 'edited\n' })
    await removeWorktree(repo, '.macds/worktrees/r1')
    expect(existsSync(dir)).toBe(false)
    expect(await listWorktrees(repo)).toHaveLength(1)

    await deleteBranch(repo, 'macds/r1')
    expect(sh(repo, 'branch', '--list', 'macds/*')).toBe('')
  })

  it('forgets a worktree whose directory is already gone', async () => {
    const repo = await gitRepo()
    const outside = join(await tempDir(), 'wt')
    await addWorktree(repo, outside, 'macds/gone', 'HEAD')
    await rm(outside, { recursive: true, force: true })

    await removeWorktree(repo, outside)

    expect(await listWorktrees(repo)).toHaveLength(1)
  })
})
