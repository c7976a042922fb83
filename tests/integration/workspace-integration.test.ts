import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addWorktree } from '../../src/core/git/index.js'
import type { IntegrationPlan, WorkspaceInfo } from '../../src/core/run/workspace.js'
import { integrateRun } from '../../src/core/workspace/integration.js'
import { gitRepo, sh, writeFiles } from '../helpers/git-repo.js'

/** A repository whose run branch has one commit on top of main, in a worktree like a run's. */
async function runRepository(): Promise<{ repo: string; info: WorkspaceInfo; runTip: string }> {
  const repo = await gitRepo({ 'a.txt': 'a\n' })
  const base = sh(repo, 'rev-parse', 'main')
  const worktree = join(repo, '.macds', 'worktrees', 'r1')
  await addWorktree(repo, worktree, 'macds/r1', base)
  writeFiles(worktree, { 'b.txt': 'b\n' })
  sh(worktree, 'add', 'b.txt')
  sh(worktree, 'commit', '-q', '-m', 'b')
  // The checkout of main is moved elsewhere, so that the target is moved by update-ref.
  sh(repo, 'switch', '-q', '--detach')
  return {
    repo,
    info: { worktree, branch: 'macds/r1', target: 'main', base },
    runTip: sh(worktree, 'rev-parse', 'HEAD'),
  }
}

const steps = (repo: string, info: WorkspaceInfo, previous: IntegrationPlan | undefined) => {
  const planned: IntegrationPlan[] = []
  let validations = 0
  return {
    planned,
    validations: () => validations,
    options: {
      repo,
      info,
      runId: 'r1',
      strategy: 'commits' as const,
      merge: true,
      previous,
      revalidate: async () => {
        validations++
        return true
      },
      planned: async (plan: IntegrationPlan) => void planned.push(plan),
    },
  }
}

describe('integration resumed after a crash', () => {
  it('finds a move made before the crash and does not make it again', async () => {
    const { repo, info, runTip } = await runRepository()
    sh(repo, 'update-ref', 'refs/heads/main', runTip)
    const plan = { target: 'main', from: info.base, to: runTip, strategy: 'commits' as const }
    const run = steps(repo, info, plan)
    const outcome = await integrateRun(run.options)
    expect(outcome.status).toBe('merged')
    expect(run.planned).toEqual([])
    expect(sh(repo, 'rev-parse', 'main')).toBe(runTip)
  })

  it('makes a logged move that the crash interrupted, by compare-and-swap from the logged tip', async () => {
    const { repo, info, runTip } = await runRepository()
    const plan = { target: 'main', from: info.base, to: runTip, strategy: 'commits' as const }
    const run = steps(repo, info, plan)
    expect((await integrateRun(run.options)).status).toBe('merged')
    expect(run.planned).toEqual([])
    expect(sh(repo, 'rev-parse', 'main')).toBe(runTip)
  })

  it('plans again when the target moved since: merges it in and validates again', async () => {
    const { repo, info, runTip } = await runRepository()
    const plan = { target: 'main', from: info.base, to: runTip, strategy: 'commits' as const }
    sh(repo, 'switch', '-q', 'main')
    writeFiles(repo, { 'c.txt': 'c\n' })
    sh(repo, 'add', 'c.txt')
    sh(repo, 'commit', '-q', '-m', 'c')
    const moved = sh(repo, 'rev-parse', 'main')
    sh(repo, 'switch', '-q', '--detach')
    const run = steps(repo, info, plan)
    expect((await integrateRun(run.options)).status).toBe('merged')
    expect(run.validations()).toBe(1)
    expect(run.planned).toHaveLength(1)
    expect(run.planned[0]).toMatchObject({ from: moved })
    const tip = sh(repo, 'rev-parse', 'main')
    expect(sh(repo, 'ls-tree', '--name-only', tip)).toBe('a.txt\nb.txt\nc.txt')
  })

  it('leaves the target alone when validation fails after the merge', async () => {
    const { repo, info } = await runRepository()
    sh(repo, 'switch', '-q', 'main')
    writeFiles(repo, { 'c.txt': 'c\n' })
    sh(repo, 'add', 'c.txt')
    sh(repo, 'commit', '-q', '-m', 'c')
    const moved = sh(repo, 'rev-parse', 'main')
    const run = steps(repo, info, undefined)
    const outcome = await integrateRun({ ...run.options, revalidate: async () => false })
    expect(outcome.status).toBe('failed')
    expect(outcome.message).toMatch(/pipeline fails/)
    expect(sh(repo, 'rev-parse', 'main')).toBe(moved)
    expect(run.planned).toEqual([])
  })
})
