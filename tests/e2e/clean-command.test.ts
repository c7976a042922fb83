import { existsSync } from 'node:fs'
import { mkdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { gitIn, sampleRepo } from '../helpers/sample-repo.js'

/** A process id that no running process has on a test machine. */
const DEAD_PID = 999_999

interface FakeRun {
  /** How the run ended; undefined: it never finished. */
  status?: 'passed' | 'failed' | 'cancelled'
  integration?: 'merged' | 'kept' | 'failed'
  /** A gate waits for a person. */
  gate?: boolean
  lockPid?: number
  /** Whether the run's worktree is still there (its branch always is). */
  worktree?: boolean
}

/** Writes a run's event log the way a run would have, and makes its branch (and worktree) with git. */
async function fakeRun(root: string, id: string, run: FakeRun): Promise<void> {
  const dir = join(root, '.macds', 'runs', id)
  const worktree = join(root, '.macds', 'worktrees', id)
  const branch = `macds/${id}`
  const base = gitIn(root, 'rev-parse', 'main')
  const events: Record<string, unknown>[] = [
    {
      type: 'run.started',
      run_id: id,
      requirement: 'Add a farewell function',
      root,
      workflow: { stages: [] },
      options: { provider: 'scripted', approve: 'auto' },
      workspace: { worktree, branch, target: 'main', base },
    },
  ]
  if (run.gate)
    events.push({
      type: 'gate.requested',
      gate_id: 'g-1',
      stage: 'architecture',
      agent: 'architect',
      visit: 1,
      summary: 'a design',
      output: {},
    })
  if (run.integration)
    events.push({ type: 'integration.finished', status: run.integration, message: 'merge it by hand' })
  if (run.status) events.push({ type: 'run.finished', status: run.status, message: `the run ${run.status}` })
  const ts = new Date().toISOString()
  const lines = events.map((event, i) => JSON.stringify({ v: 1, seq: i + 1, ts, ...event }))
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`)
  if (run.lockPid !== undefined) await writeFile(join(dir, 'lock'), `${run.lockPid}\n`)
  if (run.worktree === false) gitIn(root, 'branch', branch, 'main')
  else gitIn(root, 'worktree', 'add', '-q', '-b', branch, worktree, 'main')
}

/** A repository with runs in every state, a leftover validation worktree and a stale integration lock. */
async function cluttered(): Promise<string> {
  const root = await sampleRepo([])
  await fakeRun(root, 'r-passed', { status: 'passed', integration: 'merged' })
  await fakeRun(root, 'r-failed', { status: 'failed', lockPid: DEAD_PID })
  await fakeRun(root, 'r-cancelled', { status: 'cancelled' })
  await fakeRun(root, 'r-kept', { status: 'passed', integration: 'kept', worktree: false })
  await fakeRun(root, 'r-live', { lockPid: process.pid })
  await fakeRun(root, 'r-waiting', { gate: true })
  await fakeRun(root, 'r-stopped', {})
  gitIn(
    root,
    'worktree',
    'add',
    '-q',
    '--detach',
    join(root, '.macds', 'worktrees', 'validate-0badf00d'),
    'main',
  )
  await mkdir(join(root, '.macds', 'locks'), { recursive: true })
  await writeFile(join(root, '.macds', 'locks', 'integration'), `${DEAD_PID}\n`)
  await writeFile(join(root, '.macds', 'locks', 'validate-0badf00d'), `${DEAD_PID}\n`)
  // A leftover folder git does not know, old enough not to be a run that is starting.
  const stray = join(root, '.macds', 'worktrees', 'r-vanished')
  await mkdir(stray)
  await utimes(stray, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
  return root
}

function branches(root: string): string[] {
  return gitIn(root, 'branch', '--list', '--format=%(refname:short)').split('\n').sort()
}

function worktreeNames(root: string): string[] {
  return gitIn(root, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.replace(/^.*[/\\]/, ''))
    .slice(1)
    .sort()
}

describe('macds clean', () => {
  it('removes finished runs, leftovers and stale locks, and leaves runs in use and unmerged work', async () => {
    const root = await cluttered()
    const result = await runCli(['clean'], { cwd: root })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const out = result.stdout
    for (const id of ['r-passed', 'r-failed', 'r-cancelled']) {
      expect(out).toContain(`removed worktree .macds/worktrees/${id} (run ${id} `)
      expect(out).toContain(`removed branch macds/${id} (run ${id} `)
    }
    expect(out).toContain('removed worktree .macds/worktrees/validate-0badf00d (no run uses it)')
    expect(out).toContain('removed worktree .macds/worktrees/r-vanished (no run uses it)')
    expect(out).toContain(`removed stale lock .macds/locks/integration (process ${DEAD_PID} is gone)`)
    expect(out).toContain(`removed stale lock .macds/runs/r-failed/lock (process ${DEAD_PID} is gone)`)
    expect(out).toMatch(/kept branch macds\/r-kept: .*not merged.*--all/)
    expect(out).toContain(`skipped run r-live: still running: process ${process.pid} holds its lock`)
    expect(out).toMatch(/skipped run r-waiting: waiting for a person \(g-1\)/)
    expect(out).toContain(
      'skipped run r-stopped: stopped before it finished; continue it with `macds resume r-stopped`',
    )
    expect(out).toContain('removed 5 worktrees, 3 branches, 3 stale locks; kept 1 branch; skipped 3')

    expect(worktreeNames(root)).toEqual(['r-live', 'r-stopped', 'r-waiting'])
    expect(branches(root)).toEqual([
      'macds/r-kept',
      'macds/r-live',
      'macds/r-stopped',
      'macds/r-waiting',
      'main',
    ])
    expect(existsSync(join(root, '.macds', 'worktrees', 'r-vanished'))).toBe(false)
    expect(existsSync(join(root, '.macds', 'locks', 'integration'))).toBe(false)
    expect(existsSync(join(root, '.macds', 'runs', 'r-live', 'lock'))).toBe(true)
    expect(existsSync(join(root, '.macds', 'runs', 'r-failed', 'events.jsonl'))).toBe(true)
  })

  it('removes nothing with --dry-run, and says what it would remove', async () => {
    const root = await cluttered()
    const before = { trees: worktreeNames(root), branches: branches(root) }
    const result = await runCli(['clean', '--dry-run'], { cwd: root })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('would remove worktree .macds/worktrees/r-failed (run r-failed failed)')
    expect(result.stdout).toContain('would remove branch macds/r-failed (run r-failed failed)')
    expect(result.stdout).toContain(
      `would remove stale lock .macds/locks/integration (process ${DEAD_PID} is gone)`,
    )
    expect(result.stdout).toMatch(
      /dry run: would remove 5 worktrees, 3 branches, 3 stale locks; .*nothing was removed/,
    )
    expect(result.stdout).not.toMatch(/^removed /m)
    expect({ trees: worktreeNames(root), branches: branches(root) }).toEqual(before)
    expect(existsSync(join(root, '.macds', 'locks', 'integration'))).toBe(true)
    expect(existsSync(join(root, '.macds', 'worktrees', 'r-vanished'))).toBe(true)
  })

  it('leaves a worktree alone while a validation uses it, or while a run may be starting in it', async () => {
    const root = await sampleRepo([])
    const trees = join(root, '.macds', 'worktrees')
    gitIn(root, 'worktree', 'add', '-q', '--detach', join(trees, 'validate-1234abcd'), 'main')
    await mkdir(join(root, '.macds', 'locks'), { recursive: true })
    await writeFile(join(root, '.macds', 'locks', 'validate-1234abcd'), `${process.pid}\n`)
    gitIn(root, 'worktree', 'add', '-q', '-b', 'macds/r-new', join(trees, 'r-new'), 'main')
    const result = await runCli(['clean'], { cwd: root })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `skipped worktree .macds/worktrees/validate-1234abcd: in use by process ${process.pid}`,
    )
    expect(result.stdout).toContain('skipped worktree .macds/worktrees/r-new: made less than a minute ago')
    expect(result.stdout).toContain('removed nothing; skipped 2')
    expect(worktreeNames(root)).toEqual(['r-new', 'validate-1234abcd'])
  })

  it('deletes the branch of a passed run that was not merged only with --all', async () => {
    const root = await sampleRepo([])
    await fakeRun(root, 'r-kept', { status: 'passed', integration: 'kept', worktree: false })
    const result = await runCli(['clean', '--all'], { cwd: root })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('removed branch macds/r-kept (run r-kept passed)')
    expect(branches(root)).toEqual(['main'])
  })

  it('says so when there is nothing to clean', async () => {
    const root = await sampleRepo([])
    const result = await runCli(['clean'], { cwd: root })
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe('removed nothing')
  })
})
