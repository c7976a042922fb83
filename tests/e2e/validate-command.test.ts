import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/cli.js'
import { gitIn, sampleRepo } from '../helpers/sample-repo.js'
import { waitFor } from '../helpers/temp.js'

const TIMEOUT = 30_000

/** The work trees git knows of in `root`. */
function worktrees(root: string): string[] {
  return gitIn(root, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
}

/** A sample repository with a branch `broken` whose greeting fails its test; `main` is checked out. */
async function repoWithBrokenBranch(): Promise<string> {
  const root = await sampleRepo([])
  gitIn(root, 'switch', '-q', '-c', 'broken')
  await writeFile(join(root, 'src/greet.js'), 'export function greet(name) {\n  return `Hi, ${name}`\n}\n')
  gitIn(root, 'commit', '-q', '-am', 'Break the greeting')
  gitIn(root, 'switch', '-q', 'main')
  return root
}

describe('macds validate', () => {
  it(
    'passes on the committed content of the current branch and leaves the checkout as it was',
    async () => {
      const root = await repoWithBrokenBranch()
      // An uncommitted change that would fail the tests: validate must not see it, nor touch it.
      const dirty = 'export function greet() {\n  return "dirty"\n}\n'
      await writeFile(join(root, 'src/greet.js'), dirty)
      const result = await runCli(['validate'], { cwd: root, timeoutMs: TIMEOUT })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/validating main \([0-9a-f]{12}\) in a temporary worktree/)
      expect(result.stdout).toMatch(/test +running node --test/)
      expect(result.stdout).toMatch(/test +passed \(exit 0, [\d.]+ s\)/)
      expect(result.stdout).toMatch(/main \([0-9a-f]{12}\) passed validation/)
      const logDir = /full logs: (.+)/.exec(result.stdout)?.[1] ?? ''
      expect(logDir).toContain(join(root, '.macds', 'validate'))
      expect(await readdir(logDir)).toEqual(['1-test.log'])
      expect(await readFile(join(root, 'src/greet.js'), 'utf8')).toBe(dirty)
      expect(gitIn(root, 'status', '--porcelain')).toBe('M src/greet.js')
      expect(worktrees(root)).toHaveLength(1)
      expect(await readdir(join(root, '.macds', 'worktrees'))).toEqual([])
    },
    TIMEOUT,
  )

  it(
    'exits 1 on a branch with a failing test and shows the failing test',
    async () => {
      const root = await repoWithBrokenBranch()
      const result = await runCli(['validate', 'broken'], { cwd: root, timeoutMs: TIMEOUT })
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/test +failed \(exit 1, [\d.]+ s\)/)
      expect(result.stdout).toMatch(/not ok \d+ - greets by name/)
      expect(result.stdout).toMatch(/broken \([0-9a-f]{12}\) failed validation: the test step failed/)
      expect(gitIn(root, 'branch', '--show-current')).toBe('main')
      expect(worktrees(root)).toHaveLength(1)
    },
    TIMEOUT,
  )

  it(
    'prints the report as JSON',
    async () => {
      const root = await repoWithBrokenBranch()
      const result = await runCli(['validate', 'broken', '--json'], { cwd: root, timeoutMs: TIMEOUT })
      expect(result.code).toBe(1)
      const report = JSON.parse(result.stdout) as Record<string, unknown>
      expect(report).toMatchObject({
        branch: 'broken',
        commit: gitIn(root, 'rev-parse', 'broken'),
        passed: false,
        results: [{ name: 'test', exit_code: 1, timed_out: false }],
      })
      expect(existsSync(report.log_dir as string)).toBe(true)
    },
    TIMEOUT,
  )

  it('exits 2 for a branch that does not exist, naming it', async () => {
    const root = await sampleRepo([])
    const result = await runCli(['validate', 'no-such-branch'], { cwd: root })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("there is no branch 'no-such-branch'")
    expect(result.stderr).toContain('git branch --list')
    expect(worktrees(root)).toHaveLength(1)
  })

  it('exits 2 when no pipeline is configured, saying how to add one', async () => {
    const root = await sampleRepo([], {
      edit: (dir) => writeFile(join(dir, 'macds.yaml'), 'version: 1\nprovider: scripted\n'),
    })
    const result = await runCli(['validate'], { cwd: root })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no validation pipeline is configured')
    expect(result.stderr).toContain('macds init')
  })

  it(
    'removes the temporary worktree and exits 130 when interrupted',
    async () => {
      const root = await sampleRepo([], {
        edit: (dir) =>
          writeFile(
            join(dir, 'macds.yaml'),
            'version: 1\nprovider: scripted\npipeline:\n  test: { command: [node, -e, "setTimeout(() => {}, 60000)"] }\n',
          ),
      })
      const cli = spawnCli(['validate'], { cwd: root })
      await waitFor(() => (/test +running/.test(cli.output()) ? true : undefined), 10_000, 'the step')
      expect(worktrees(root)).toHaveLength(2)
      cli.child.kill('SIGTERM')
      expect(await cli.exit).toBe(130)
      expect(cli.output()).toContain('validation interrupted; the temporary worktree was removed')
      expect(worktrees(root)).toHaveLength(1)
      expect(await readdir(join(root, '.macds', 'worktrees'))).toEqual([])
      expect(await readdir(join(root, '.macds', 'locks'))).toEqual([])
    },
    TIMEOUT,
  )
})
