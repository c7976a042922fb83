import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { runEvents, stepsFor, runIdOf } from '../helpers/run-project.js'
import {
  farewellChangeSet,
  farewellEdit,
  gitIn,
  implementationStep,
  sampleBuildTest,
  sampleOutputs,
  sampleRepo,
} from '../helpers/sample-repo.js'

const TIMEOUT = 90_000
const WRONG = 'return `Bye, ${name}`'
const RIGHT = 'return `Goodbye, ${name}!`'

describe('a run whose ChangeSet breaks the tests', () => {
  it(
    'routes the failure back to implementation, merges the fix, and main passes its tests',
    async () => {
      const outputs = await sampleOutputs()
      const steps = [
        ...stepsFor(outputs, ['requirements', 'architecture', 'infra']),
        await implementationStep(farewellChangeSet(WRONG)),
        await implementationStep(farewellEdit(WRONG, RIGHT)),
        ...stepsFor(outputs, ['review', 'review']),
        { agent: 'buildtest', stage: 'build_test', output: sampleBuildTest(false) },
        ...stepsFor(outputs, ['build_test', 'integration', 'final_approval']),
      ]
      const root = await sampleRepo(steps)
      const base = gitIn(root, 'rev-parse', 'main')
      const { code, stdout } = await runCli(['run', 'Add a farewell function', '--approve', 'auto'], {
        cwd: root,
        timeoutMs: TIMEOUT,
      })
      expect(stdout).toMatch(/→ re-opens implementation \(loop 1 of 3\)/)
      expect(code).toBe(0)
      expect(gitIn(root, 'rev-parse', 'main')).not.toBe(base)
      expect(await readFile(join(root, 'src/farewell.js'), 'utf8')).toContain(RIGHT)
      // The merged commit passes the project's own tests.
      expect(gitIn(root, 'status', '--porcelain')).toBe('')
      const events = await runEvents(root, runIdOf(stdout))
      const pipelines = events.filter((e) => e.type === 'pipeline.finished').map((e) => e.passed)
      expect(pipelines).toEqual([false, true])
      const changesets = gitIn(root, 'log', '--format=%s', `${base}..main`, '--', 'src/farewell.js')
      expect(changesets.split('\n')).toHaveLength(2)
    },
    TIMEOUT,
  )

  it(
    'shows the review a ChangeSet resubmitted as it was: the diff of the commit that applied it',
    async () => {
      const outputs = await sampleOutputs()
      const changes = {
        verdict: 'request_changes',
        summary: 'The doc comment could be clearer.',
        comments: [
          {
            file: 'src/greet.js',
            line: 1,
            severity: 'major',
            message: 'The comment should name the greeting.',
          },
        ],
        standards_checked: ['Tests'],
      }
      // A modification given as the whole new file: resubmitted as it was, it changes nothing.
      const documented = {
        intent: 'Say what greet() returns',
        rationale: 'The requirement asks for the greeting to be documented.',
        files: [
          {
            path: 'src/greet.js',
            action: 'modify',
            content:
              '/** A greeting for someone by name: "Hello, <name>!". */\nexport function greet(name) {\n  return `Hello, ${name}!`\n}\n',
          },
        ],
        validation_plan: { tests_to_run: ['test/greet.test.js'] },
      }
      const same = await implementationStep(documented)
      // The first review takes its time, so that build_test has passed before it asks for changes.
      const steps = [
        ...stepsFor(outputs, ['requirements', 'architecture', 'infra']),
        same,
        same,
        { agent: 'reviewer', stage: 'review', output: changes, delay_ms: 3000 },
        ...stepsFor(outputs, ['build_test', 'review', 'build_test', 'integration', 'final_approval']),
      ]
      const root = await sampleRepo(steps)
      const { code, stdout } = await runCli(['run', 'Add a farewell function', '--approve', 'auto'], {
        cwd: root,
        timeoutMs: TIMEOUT,
      })
      expect(code, stdout).toBe(0)
      const events = await runEvents(root, runIdOf(stdout))
      const applied = events.filter(
        (e) => e.type === 'effect.recorded' && e.kind === 'changeset' && e.stage === 'implementation',
      )
      expect(applied).toHaveLength(2)
      expect(applied[1]?.name).toBe(applied[0]?.name)
      expect(applied[0]?.diff).toContain('+/** A greeting for someone by name: "Hello, <name>!". */')
      expect(applied[1]?.diff).toBe(applied[0]?.diff)
      // Nothing new was committed, so the branch's head stays where it was.
      expect(applied[1]?.commit).toBe(applied[0]?.commit)
    },
    TIMEOUT,
  )

  it(
    'escalates a ChangeSet that never passes, and leaves main byte for byte as it was',
    async () => {
      const outputs = await sampleOutputs()
      const bodies = [WRONG, 'return name', 'return `Bye`', 'return `bye ${name}`']
      const implementations = [await implementationStep(farewellChangeSet(bodies[0]))]
      for (let i = 1; i < bodies.length; i++)
        implementations.push(await implementationStep(farewellEdit(bodies[i - 1] ?? '', bodies[i] ?? '')))
      const abort = {
        ruling: 'abort',
        rationale: 'Four attempts did not make the farewell test pass; the run stops without merging.',
        memory_notes: [{ scope: 'failure', text: 'Read the farewell test before changing src/farewell.js.' }],
      }
      const steps = [
        ...stepsFor(outputs, ['requirements', 'architecture', 'infra']),
        ...implementations,
        ...stepsFor(outputs, Array(4).fill('review')),
        ...Array.from({ length: 4 }, () => ({
          agent: 'buildtest',
          stage: 'build_test',
          output: sampleBuildTest(false),
        })),
        { agent: 'architect', stage: 'escalation', output: abort },
      ]
      const root = await sampleRepo(steps)
      const head = gitIn(root, 'rev-parse', 'main')
      const tree = gitIn(root, 'ls-files', '-s')
      const greet = await readFile(join(root, 'src/greet.js'))
      const { code, stdout } = await runCli(['run', 'Add a farewell function', '--approve', 'auto'], {
        cwd: root,
        timeoutMs: TIMEOUT,
      })
      expect(stdout).toMatch(
        /→ escalation e-[0-9a-f]{6} to architect: buildtest \(8\) vs implementation \(5\)/,
      )
      expect(code).toBe(1)
      expect(gitIn(root, 'rev-parse', 'main')).toBe(head)
      expect(gitIn(root, 'ls-files', '-s')).toBe(tree)
      expect(gitIn(root, 'status', '--porcelain')).toBe('')
      expect(await readFile(join(root, 'src/greet.js'))).toEqual(greet)
      // The run branch is kept for inspection, with the ruling in its decision log.
      const runId = runIdOf(stdout)
      const log = gitIn(root, 'show', `macds/${runId}:artifacts/DESIGN_DECISIONS.log`)
      expect(log).toMatch(/RULING e-[0-9a-f]{6} by architect: abort/)
      // The arbiter's own note is kept like any agent's.
      expect(await readFile(join(root, 'memory', 'failure.jsonl'), 'utf8')).toContain(
        'Read the farewell test',
      )
      expect(gitIn(root, 'worktree', 'list').split('\n')).toHaveLength(1)
    },
    TIMEOUT,
  )
})

describe('an architecture with several tasks', () => {
  it(
    'runs one implementation call per task in parallel, commits each, and merges them together',
    async () => {
      const outputs = await sampleOutputs()
      const architecture = outputs.architecture as Record<string, unknown>
      const components = architecture.components as { name: string }[]
      const [first, second] = components
      architecture.tasks = [
        {
          id: 'TASK-1',
          component: first?.name,
          description: 'Add the farewell function and its test.',
          files: ['src/farewell.js', 'test/farewell.test.js'],
        },
        {
          id: 'TASK-2',
          component: second?.name ?? first?.name,
          description: 'Add a shout function.',
          files: ['src/shout.js'],
        },
      ]
      const shout = {
        intent: 'Add a shout function',
        rationale: 'The greeting can be shouted.',
        files: [
          {
            path: 'src/shout.js',
            action: 'create',
            content: 'export const shout = (s) => s.toUpperCase()\n',
          },
        ],
        validation_plan: { tests_to_run: [] },
      }
      const steps = [
        ...stepsFor(outputs, ['requirements', 'architecture', 'infra']),
        { ...(await implementationStep(farewellChangeSet())), task: 'TASK-1' },
        { ...(await implementationStep(shout)), task: 'TASK-2' },
        ...stepsFor(outputs, ['review', 'build_test', 'integration', 'final_approval']),
      ]
      const root = await sampleRepo(steps)
      const base = gitIn(root, 'rev-parse', 'main')
      const { code, stdout } = await runCli(['run', 'Add a farewell and a shout', '--approve', 'auto'], {
        cwd: root,
        timeoutMs: TIMEOUT,
      })
      if (code !== 0) throw new Error(stdout)
      const stages = gitIn(root, 'log', '--format=%(trailers:key=Macds-Stage,valueonly)', `${base}..main`)
      expect(
        stages
          .split('\n')
          .filter((l) => l.startsWith('implementation/'))
          .sort(),
      ).toEqual(['implementation/TASK-1', 'implementation/TASK-2'])
      expect(gitIn(root, 'show', 'main:src/shout.js')).toContain('toUpperCase')
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
      const events = await runEvents(root, runIdOf(stdout))
      const tasks = events
        .filter((e) => e.type === 'agent.accepted' && e.stage === 'implementation')
        .map((e) => e.task)
      expect(tasks.sort()).toEqual(['TASK-1', 'TASK-2'])
    },
    TIMEOUT,
  )
})
