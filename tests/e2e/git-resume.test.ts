import { existsSync, readdirSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runCli, spawnCli } from '../helpers/cli.js'
import { runEvents, runIdOf } from '../helpers/run-project.js'
import { gitIn, PIPELINE, sampleBuildTest, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'
import { tempDir, waitFor } from '../helpers/temp.js'

const TIMEOUT = 90_000
const REQUIREMENT = 'Add a farewell function'

describe('resuming a run on a git repository', () => {
  it(
    'undoes what a stage in flight left in the worktree, and merges only recorded work',
    async () => {
      const steps = await sampleSteps()
      const review = steps.find((s) => s.stage === 'review')
      if (review) review.delay_ms = 60_000
      const root = await sampleRepo(steps)
      const head = gitIn(root, 'rev-parse', 'main')
      const cli = spawnCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: root })
      const runId = await waitFor(() => /run (r-[0-9a-f-]+)/.exec(cli.output())?.[1], 20_000, 'the run id')
      await waitFor(() => (/review\s+reviewer\s+#1 started/.test(cli.output()) ? true : undefined), 40_000)
      cli.child.kill('SIGKILL')
      await cli.exit
      // As if a stage in flight had applied and committed a change before the process died.
      const worktree = join(root, '.macds', 'worktrees', runId)
      await writeFile(join(worktree, 'src', 'stray.js'), 'export const stray = 1\n')
      gitIn(worktree, 'add', 'src/stray.js')
      gitIn(worktree, 'commit', '-q', '-m', 'stray')
      await writeFile(join(worktree, 'src', 'loose.js'), 'export const loose = 1\n')
      // The resumed review answers at once: its step is used again without the delay.
      const script = join(root, 'script.yaml')
      await writeFile(script, stringify({ version: 1, steps: await sampleSteps() }))
      const resumed = await runCli(['resume', runId], { cwd: root, timeoutMs: TIMEOUT })
      expect(resumed.code).toBe(0)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
      expect(gitIn(root, 'ls-tree', '--name-only', 'main', 'src/')).not.toMatch(/stray|loose/)
      expect(gitIn(root, 'rev-list', '--count', `${head}..main`)).not.toBe('0')
    },
    TIMEOUT,
  )

  it(
    'commits what the format step rewrites, so that main holds the validated tree',
    async () => {
      const format =
        "import { readFileSync, writeFileSync, readdirSync } from 'node:fs'\n" +
        "for (const f of readdirSync('src')) {\n" +
        "  const p = 'src/' + f\n" +
        '  const t = readFileSync(p, "utf8")\n' +
        "  if (!t.endsWith('// formatted\\n')) writeFileSync(p, t + '// formatted\\n')\n" +
        '}\n'
      const config = `${PIPELINE.replace('pipeline:\n', 'pipeline:\n  format: { command: [node, format.mjs] }\n')}`
      const steps = await sampleSteps()
      const buildTest = steps.find((s) => s.stage === 'build_test')
      if (buildTest) buildTest.output = sampleBuildTest(true, ['format'])
      const root = await sampleRepo(steps, {
        edit: (dir) => writeFile(join(dir, 'format.mjs'), format),
      })
      await writeFile(
        join(root, 'macds.yaml'),
        `version: 1\nprovider: scripted\nscript: script.yaml\n${config}`,
      )
      gitIn(root, 'commit', '-q', '-am', 'Format on validation')
      const { code, stdout } = await runCli(['run', REQUIREMENT, '--approve', 'auto'], {
        cwd: root,
        timeoutMs: TIMEOUT,
      })
      if (code !== 0) throw new Error(stdout)
      expect(code).toBe(0)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toMatch(/\/\/ formatted\n?$/)
      expect(gitIn(root, 'show', 'main:src/greet.js')).toMatch(/\/\/ formatted\n?$/)
      expect(gitIn(root, 'log', '-1', '--format=%an', '--', 'src/greet.js')).toBe('macds pipeline')
      const events = await runEvents(root, runIdOf(stdout))
      expect(events.find((e) => e.type === 'effect.recorded' && e.kind === 'format')).toMatchObject({
        commit: gitIn(root, 'log', '-1', '--format=%H', '--', 'src/greet.js'),
      })
    },
    TIMEOUT,
  )

  it(
    'stops a pipeline step on Ctrl+C: exit 130 at once, and resume validates again and merges',
    async () => {
      // The test step hangs while the marker exists: only a cancel that reaches the step ends it sooner.
      const marker = join(await tempDir(), 'hang')
      await writeFile(marker, '')
      const hang = `if (require('fs').existsSync(${JSON.stringify(marker)})) setTimeout(() => {}, 60000)`
      const steps = await sampleSteps()
      const buildTest = steps.find((s) => s.stage === 'build_test')
      if (buildTest) {
        const passed = (name: string) => ({ name, passed: true, summary: `${name} passed` })
        buildTest.output = { ...sampleBuildTest(true), steps: [passed('build'), passed('test')] }
      }
      const root = await sampleRepo(steps)
      const slowBuild = '  build: { command: [node, -e, HANG], timeout_seconds: 90 }\n'.replace(
        'HANG',
        JSON.stringify(hang),
      )
      await writeFile(
        join(root, 'macds.yaml'),
        `version: 1\nprovider: scripted\nscript: script.yaml\n${PIPELINE}${slowBuild}`,
      )
      gitIn(root, 'commit', '-q', '-am', 'A slow build')
      const cli = spawnCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: root })
      const runId = await waitFor(() => /run (r-[0-9a-f-]+)/.exec(cli.output())?.[1], 20_000, 'the run id')
      const log = join(root, '.macds', 'runs', runId, 'pipeline')
      await waitFor(
        () => (/build_test\s+buildtest\s+#1 started/.test(cli.output()) ? true : undefined),
        40_000,
        'build_test',
      )
      // The slow step has started once its log file exists.
      const building = () =>
        existsSync(join(log, '1')) && readdirSync(join(log, '1')).some((f) => f.endsWith('-build.log'))
      await waitFor(() => (building() ? true : undefined), 40_000, 'the slow step')
      const sent = Date.now()
      cli.child.kill('SIGINT')
      expect(await cli.exit).toBe(130)
      expect(Date.now() - sent).toBeLessThan(10_000)
      const events = await runEvents(root, runId)
      expect(events.at(-1)).toMatchObject({ type: 'run.cancelled' })
      expect(events.filter((e) => e.type === 'pipeline.finished')).toEqual([])
      expect(events.filter((e) => e.type === 'stage.failed')).toEqual([])
      await rm(marker)
      const resumed = await runCli(['resume', runId], { cwd: root, timeoutMs: TIMEOUT })
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
    },
    TIMEOUT,
  )
})
