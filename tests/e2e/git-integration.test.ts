import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/cli.js'
import { runEvents, runIdOf } from '../helpers/run-project.js'
import { gitIn, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'
import { waitFor } from '../helpers/temp.js'

const TIMEOUT = 90_000
const REQUIREMENT = 'Add a farewell function'

const run = (root: string, ...extra: string[]) =>
  runCli(['run', REQUIREMENT, '--approve', 'auto', ...extra], { cwd: root, timeoutMs: TIMEOUT })

/**
 * A run on the sample repository whose every stage has passed and which now waits inside integration,
 * because another live process (this one) holds the repository's integration lock.
 */
async function waitingForIntegrationLock() {
  const root = await sampleRepo(await sampleSteps())
  const head = gitIn(root, 'rev-parse', 'main')
  const lock = join(root, '.macds', 'locks', 'integration')
  await mkdir(join(root, '.macds', 'locks'), { recursive: true })
  await writeFile(lock, `${process.pid}\n`)
  const cli = spawnCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: root })
  const runId = await waitFor(() => /run (r-[0-9a-f-]+)/.exec(cli.output())?.[1], 20_000, 'the run id')
  await waitFor(
    () => (/final_approval\s+architect\s+#1 passed/.test(cli.output()) ? true : undefined),
    40_000,
    'every stage to pass',
  )
  await new Promise((r) => setTimeout(r, 300))
  return { root, head, lock, cli, runId }
}

describe('integration into the target branch', () => {
  it(
    'leaves a checkout with uncommitted changes alone and says how to merge',
    async () => {
      const root = await sampleRepo(await sampleSteps())
      const head = gitIn(root, 'rev-parse', 'main')
      const edited = '// my work in progress\nexport const wip = true\n'
      await writeFile(join(root, 'src/greet.js'), edited)
      await writeFile(join(root, 'notes.txt'), 'untracked notes\n')
      const { code, stdout } = await run(root)
      expect(code).toBe(0)
      expect(stdout).toMatch(/uncommitted changes/)
      expect(stdout).toMatch(/git merge --ff-only/)
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
      expect(await readFile(join(root, 'src/greet.js'), 'utf8')).toBe(edited)
      expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('untracked notes\n')
      const runId = runIdOf(stdout)
      expect(gitIn(root, 'branch', '--list', `macds/${runId}`)).toContain(`macds/${runId}`)
      expect(gitIn(root, 'show', `macds/${runId}:src/farewell.js`)).toContain('Goodbye')
    },
    TIMEOUT,
  )

  it(
    'stops with the run branch validated under --no-merge',
    async () => {
      const root = await sampleRepo(await sampleSteps())
      const head = gitIn(root, 'rev-parse', 'main')
      const { code, stdout } = await run(root, '--no-merge')
      expect(code).toBe(0)
      expect(stdout).toMatch(/not merged \(--no-merge\)/)
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
      const branch = `macds/${runIdOf(stdout)}`
      expect(gitIn(root, 'merge-base', '--is-ancestor', head, branch)).toBe('')
    },
    TIMEOUT,
  )

  it(
    'makes one commit per run with integration.strategy squash',
    async () => {
      const root = await sampleRepo(await sampleSteps(), { config: 'integration: { strategy: squash }\n' })
      const head = gitIn(root, 'rev-parse', 'main')
      const { code, stdout } = await run(root)
      expect(code).toBe(0)
      expect(gitIn(root, 'rev-list', '--count', `${head}..main`)).toBe('1')
      expect(gitIn(root, 'log', '-1', '--format=%B', 'main')).toContain(`Macds-Run: ${runIdOf(stdout)}`)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
    },
    TIMEOUT,
  )

  it(
    'deletes the branch of a failed run with --no-keep, and leaves main as it was',
    async () => {
      const steps = (await sampleSteps()).filter((s) => s.stage !== 'requirements')
      const root = await sampleRepo(steps)
      const head = gitIn(root, 'rev-parse', 'main')
      const { code, stdout } = await run(root, '--no-keep')
      expect(code).toBe(1)
      const runId = runIdOf(stdout)
      expect(gitIn(root, 'branch', '--list', `macds/${runId}`)).toBe('')
      expect(existsSync(join(root, '.macds', 'worktrees', runId))).toBe(false)
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
    },
    TIMEOUT,
  )

  it(
    'records each artifact change as a commit by its owner',
    async () => {
      const root = await sampleRepo(await sampleSteps())
      const { code } = await run(root)
      expect(code).toBe(0)
      const log = await runCli(['artifacts', 'log', '--json'], { cwd: root })
      expect(log.code).toBe(0)
      const versions = JSON.parse(log.stdout) as { name: string; agent?: string; stage?: string }[]
      const by = new Map(versions.map((v) => [v.name, v.agent]))
      expect(by.get('ARCHITECTURE.md')).toBe('architect')
      expect(by.get('REQUIREMENTS.md')).toBe('product')
      for (const version of versions) expect(version.agent).toBeDefined()
    },
    TIMEOUT,
  )

  it(
    'serializes the integrations of two runs at once, and both end merged',
    async () => {
      const steps = await sampleSteps()
      const shout = structuredClone(steps)
      const implementation = shout.find((s) => s.stage === 'implementation')?.output as {
        changeset: { intent: string; files: { path: string; content?: string }[] }
      }
      implementation.changeset = {
        intent: 'Add a shout function',
        files: [
          {
            path: 'src/shout.js',
            action: 'create',
            content: 'export const shout = (s) => s.toUpperCase()\n',
          },
        ],
        rationale: 'The requirement asks to shout.',
        validation_plan: { tests_to_run: [] },
      } as never
      const root = await sampleRepo(steps)
      await writeFile(join(root, 'shout.yaml'), stringify({ version: 1, steps: shout }))
      const first = spawnCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: root })
      const second = spawnCli(
        ['run', 'Add a shout function', '--approve', 'auto', '--script', 'shout.yaml'],
        {
          cwd: root,
        },
      )
      const codes = [await first.exit, await second.exit]
      if (codes.some((c) => c !== 0)) throw new Error(`${first.output()}\n---\n${second.output()}`)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
      expect(gitIn(root, 'show', 'main:src/shout.js')).toContain('toUpperCase')
      expect(gitIn(root, 'status', '--porcelain', '--untracked-files=no')).toBe('')
    },
    TIMEOUT,
  )

  it(
    'integrates into the branch --target names, leaving the checked-out branch as it was',
    async () => {
      const root = await sampleRepo(await sampleSteps())
      const head = gitIn(root, 'rev-parse', 'main')
      gitIn(root, 'branch', 'release')
      const { code, stdout } = await run(root, '--target', 'release')
      if (code !== 0) throw new Error(stdout)
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
      expect(gitIn(root, 'show', 'release:src/farewell.js')).toContain('Goodbye')
      expect(gitIn(root, 'merge-base', '--is-ancestor', head, 'release')).toBe('')
      const events = await runEvents(root, runIdOf(stdout))
      expect(events.find((e) => e.type === 'integration.started')).toMatchObject({
        target: 'release',
        from: head,
      })
    },
    TIMEOUT,
  )

  it(
    'escalates a conflict with new commits on the target, and leaves the target to its owner',
    async () => {
      const steps = await sampleSteps()
      const review = steps.find((s) => s.stage === 'review')
      if (review) review.delay_ms = 1500
      const integration = steps.find((s) => s.stage === 'integration')
      if (integration)
        integration.output = {
          action: 'abort',
          conflicts: [{ path: 'src/farewell.js', description: 'main and the run both add a farewell' }],
          summary: 'The new commits of main conflict with the run; it cannot be merged as it is.',
        }
      const abort = {
        ruling: 'abort',
        rationale: 'main now has its own farewell; a person must reconcile them.',
      }
      steps.push({ agent: 'architect', stage: 'escalation', output: abort })
      const root = await sampleRepo(steps)
      const cli = spawnCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: root })
      await waitFor(() => (/review\s+reviewer\s+#1 started/.test(cli.output()) ? true : undefined), 40_000)
      await writeFile(join(root, 'src/farewell.js'), 'export const farewell = () => "See you"\n')
      gitIn(root, 'add', 'src/farewell.js')
      gitIn(root, 'commit', '-q', '-m', 'A farewell of our own')
      const mine = gitIn(root, 'rev-parse', 'main')
      expect(await cli.exit).toBe(1)
      expect(cli.output()).toMatch(
        /escalation e-[0-9a-f]{6} to architect: integrator \(8\) vs implementation \(5\)/,
      )
      expect(cli.output()).toMatch(/conflict with the run in src\/farewell\.js/)
      expect(gitIn(root, 'rev-parse', 'main')).toBe(mine)
      expect(gitIn(root, 'status', '--porcelain', '--untracked-files=no')).toBe('')
    },
    TIMEOUT,
  )

  it(
    'Ctrl+C while waiting for another run to integrate cancels at once; resume merges later',
    async () => {
      const { root, head, lock, cli, runId } = await waitingForIntegrationLock()
      const interrupted = Date.now()
      cli.child.kill('SIGINT')
      expect(await cli.exit).toBe(130)
      // The wait gives up at once, not after the ten minutes it allows another run's integration.
      expect(Date.now() - interrupted).toBeLessThan(10_000)
      expect((await runEvents(root, runId)).at(-1)?.type).toBe('run.cancelled')
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
      expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`) // another process's lock stays
      await rm(lock)
      const resumed = await runCli(['resume', runId], { cwd: root, timeoutMs: TIMEOUT })
      expect(resumed.code).toBe(0)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
    },
    TIMEOUT,
  )

  it(
    'after kill -9 during integration, main is unchanged, and resume merges fully',
    async () => {
      const { root, head, lock, cli, runId } = await waitingForIntegrationLock()
      cli.child.kill('SIGKILL')
      await cli.exit
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
      expect(gitIn(root, 'status', '--porcelain')).toBe('')
      await rm(lock)
      const resumed = await runCli(['resume', runId], { cwd: root, timeoutMs: TIMEOUT })
      expect(resumed.code).toBe(0)
      const tip = gitIn(root, 'rev-parse', 'main')
      expect(tip).not.toBe(head)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
      const events = await runEvents(root, runId)
      expect(events.filter((e) => e.type === 'integration.finished')).toEqual([
        expect.objectContaining({ status: 'merged' }),
      ])
    },
    TIMEOUT,
  )
})
