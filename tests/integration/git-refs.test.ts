import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  advanceBranch,
  commit,
  isClean,
  mergeBase,
  mergeFfOnly,
  mergeInto,
  NO_COMMIT,
  updateRefCas,
} from '../../src/core/git/index.js'
import { gitRepo, installHook, sh, writeFiles } from '../helpers/git-repo.js'

const author = { name: 'macds implementation', email: 'implementation@macds.invalid' }

/** A commit on a new branch `side` that changes `file`, with main left at its first commit. */
async function sideCommit(repo: string, file: string, content: string): Promise<string> {
  sh(repo, 'switch', '--quiet', '--create', 'side')
  writeFiles(repo, { [file]: content })
  const id = await commit(repo, { message: `change ${file}`, author, paths: 'all' })
  sh(repo, 'switch', '--quiet', 'main')
  return id ?? ''
}

describe('moving refs', () => {
  it('update-ref moves a ref only from the expected commit', async () => {
    const repo = await gitRepo()
    const base = sh(repo, 'rev-parse', 'HEAD')
    const next = await sideCommit(repo, 'a.txt', 'a\n')
    sh(repo, 'branch', 'target', base)

    await updateRefCas(repo, 'refs/heads/target', next, base)
    expect(sh(repo, 'rev-parse', 'target')).toBe(next)

    const moved = updateRefCas(repo, 'refs/heads/target', base, base)
    await expect(moved).rejects.toMatchObject({ code: 'GIT_REF_MOVED' })
    expect(sh(repo, 'rev-parse', 'target')).toBe(next)

    await expect(updateRefCas(repo, 'refs/heads/target', next, NO_COMMIT)).rejects.toMatchObject({
      code: 'GIT_REF_MOVED',
    })
    await expect(updateRefCas(repo, 'target', next, base)).rejects.toMatchObject({ code: 'GIT_BAD_REF' })
  })

  it('fast-forwards only, and the merge base is found', async () => {
    const repo = await gitRepo()
    const base = sh(repo, 'rev-parse', 'HEAD')
    const next = await sideCommit(repo, 'a.txt', 'a\n')
    expect(await mergeBase(repo, 'main', 'side')).toBe(base)

    await mergeFfOnly(repo, next)
    expect(sh(repo, 'rev-parse', 'main')).toBe(next)
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('a\n')

    sh(repo, 'switch', '--quiet', '--create', 'other', base)
    writeFiles(repo, { 'b.txt': 'b\n' })
    await commit(repo, { message: 'b', author, paths: 'all' })
    await expect(mergeFfOnly(repo, next)).rejects.toMatchObject({ code: 'GIT_NOT_FAST_FORWARD' })
  })

  it('does not touch a checked-out branch with uncommitted changes', async () => {
    const repo = await gitRepo({ 'notes.txt': 'mine\n' })
    const base = sh(repo, 'rev-parse', 'HEAD')
    const next = await sideCommit(repo, 'a.txt', 'a\n')
    writeFiles(repo, { 'notes.txt': 'uncommitted work\n' })

    await expect(advanceBranch(repo, 'main', next, base)).rejects.toMatchObject({
      code: 'GIT_TARGET_DIRTY',
      kind: 'user',
    })
    expect(sh(repo, 'rev-parse', 'main')).toBe(base)
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('uncommitted work\n')

    sh(repo, 'checkout', '--quiet', '--', 'notes.txt')
    await advanceBranch(repo, 'main', next, base)
    expect(sh(repo, 'rev-parse', 'main')).toBe(next)
    expect(await isClean(repo)).toBe(true)
  })
})

describe('merging another ref into a worktree', () => {
  it('reports conflicts and leaves the worktree clean', async () => {
    const repo = await gitRepo({ 'shared.txt': 'base\n' })
    await sideCommit(repo, 'shared.txt', 'side\n')
    writeFiles(repo, { 'shared.txt': 'main\n' })
    const head = await commit(repo, { message: 'main edit', author, paths: 'all' })

    const result = await mergeInto(repo, 'side', 'merge side')

    expect(result).toEqual({ ok: false, conflicts: ['shared.txt'] })
    expect(sh(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(sh(repo, 'status', '--porcelain')).toBe('')
    expect(await readFile(join(repo, 'shared.txt'), 'utf8')).toBe('main\n')
  })

  it('returns the merge commit when the branches merge cleanly', async () => {
    const repo = await gitRepo()
    await sideCommit(repo, 'a.txt', 'a\n')
    writeFiles(repo, { 'b.txt': 'b\n' })
    await commit(repo, { message: 'b', author, paths: 'all' })
    const marker = join(repo, 'hook-ran')
    for (const hook of ['pre-merge-commit', 'commit-msg', 'post-merge'])
      installHook(repo, hook, `touch "${marker}"; exit 1`)

    const result = await mergeInto(repo, 'side', 'merge side into main')

    expect(result).toEqual({ ok: true, commit: sh(repo, 'rev-parse', 'HEAD') })
    expect(existsSync(marker)).toBe(false)
    expect(sh(repo, 'log', '-1', '--format=%s|%P')).toMatch(/^merge side into main\|\w+ \w+$/)
  })
})
