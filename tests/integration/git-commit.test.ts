import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { commit, commitMessage, currentBranch, isClean, pathLog, revParse } from '../../src/core/git/index.js'
import { gitRepo, installHook, sh, writeFiles } from '../helpers/git-repo.js'
import { tempDir } from '../helpers/temp.js'

const architect = { name: 'macds architect', email: 'architect@macds.invalid' }

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('commits made through the git layer', () => {
  it('run no hooks, fsmonitor or signing program of the repository', async () => {
    const repo = await gitRepo()
    const marker = join(repo, 'hook-ran')
    installHook(repo, 'pre-commit', `touch "${marker}"; exit 1`)
    installHook(repo, 'commit-msg', `touch "${marker}"; echo rewritten > "$1"`)
    installHook(repo, 'post-commit', `touch "${marker}"`)
    writeFiles(repo, { '.husky/pre-commit': `#!/bin/sh\ntouch "${marker}"; exit 1\n` })
    sh(repo, 'config', 'core.hooksPath', '.husky')
    sh(repo, 'config', 'core.fsmonitor', `touch "${marker}"; echo`)
    sh(repo, 'config', 'commit.gpgSign', 'true')
    sh(repo, 'config', 'gpg.program', 'false')
    writeFiles(repo, { 'a.txt': 'one\n' })

    const id = await commit(repo, {
      message: 'architect: update a.txt',
      author: architect,
      trailers: { 'Macds-Run': 'r1', 'Macds-Agent': 'architect', 'Macds-Stage': 'architecture' },
      paths: ['a.txt'],
    })

    expect(id).toMatch(/^[0-9a-f]{40}$/)
    expect(id).toBe(sh(repo, 'rev-parse', 'HEAD'))
    expect(existsSync(marker)).toBe(false)
    expect(sh(repo, 'log', '-1', '--format=%B')).toBe(
      'architect: update a.txt\n\nMacds-Run: r1\nMacds-Agent: architect\nMacds-Stage: architecture',
    )
    expect(sh(repo, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe(
      'macds architect <architect@macds.invalid>|macds architect <architect@macds.invalid>',
    )
    const [logged] = await pathLog(repo, ['a.txt'])
    expect(logged?.trailers).toEqual({
      'Macds-Run': 'r1',
      'Macds-Agent': 'architect',
      'Macds-Stage': 'architecture',
    })
  })

  it('commit only the listed paths, leaving other changes where they were', async () => {
    const repo = await gitRepo({ 'keep.txt': 'user\n', 'gone.txt': 'x\n' })
    writeFiles(repo, { 'keep.txt': 'user edit\n', 'new.txt': 'new\n' })
    sh(repo, 'rm', '--quiet', 'gone.txt')
    sh(repo, 'reset', '--quiet', 'HEAD', 'gone.txt')

    const id = await commit(repo, {
      message: 'add new, drop gone',
      author: architect,
      paths: ['new.txt', join(repo, 'gone.txt')],
    })

    expect(sh(repo, 'show', '--name-status', '--format=', id ?? '')).toBe('D\tgone.txt\nA\tnew.txt')
    expect(await readFile(join(repo, 'keep.txt'), 'utf8')).toBe('user edit\n')
    expect(await isClean(repo)).toBe(false)
  })

  it('returns undefined when there is nothing to commit', async () => {
    const repo = await gitRepo({ 'a.txt': 'same\n' })
    expect(await commit(repo, { message: 'noop', author: architect, paths: ['a.txt'] })).toBeUndefined()
    expect(await commit(repo, { message: 'noop', author: architect, paths: 'all' })).toBeUndefined()
    expect(sh(repo, 'rev-list', '--count', 'HEAD')).toBe('1')
  })

  it('ignores GIT_DIR and GIT_WORK_TREE in the environment', async () => {
    const repo = await gitRepo()
    const other = await gitRepo()
    const before = sh(other, 'rev-parse', 'HEAD')
    vi.stubEnv('GIT_DIR', join(other, '.git'))
    vi.stubEnv('GIT_WORK_TREE', other)
    vi.stubEnv('GIT_INDEX_FILE', join(other, '.git', 'index'))
    vi.stubEnv('EDITOR', 'false')
    writeFiles(repo, { 'b.txt': 'b\n' })

    const id = await commit(repo, { message: 'b', author: architect, paths: 'all' })

    expect(await revParse(repo, 'HEAD')).toBe(id)
    expect(await currentBranch(repo)).toBe('main')
    vi.unstubAllEnvs()
    expect(sh(other, 'rev-parse', 'HEAD')).toBe(before)
  })

  it('formats trailers as a last paragraph and refuses a bad key or author', async () => {
    expect(commitMessage('  subject\n\nbody\n', { 'Macds-Run': 'r 1\nsecond line' })).toBe(
      'subject\n\nbody\n\nMacds-Run: r 1 second line',
    )
    expect(() => commitMessage('s', { 'bad key': 'v' })).toThrow(/not a valid trailer key/)
    const dir = await tempDir()
    await expect(
      commit(dir, { message: 's', author: { name: 'x <y>', email: 'e' }, paths: 'all' }),
    ).rejects.toMatchObject({ code: 'GIT_BAD_IDENTITY', kind: 'user' })
  })
})
