import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'
import {
  fixtureOutput,
  passingOutputs,
  requestChanges,
  runEvents,
  runIdOf,
  runProject,
  stepsFor,
} from '../helpers/run-project.js'
import { promptText } from '../helpers/prompts.js'
import { farewellEdit, gitIn, implementationStep, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'

const REQUIREMENT = 'Add rate limiting to the login endpoint'
const HOUR = 3_600_000

/** Every prompt an agent was sent in a run, as one text. */
const promptsOf = (root: string, runId: string, agent: string) => promptText(root, runId, { agent })

describe('memory across runs', () => {
  it('shows an agent its recent failure in the next run, and not once the note has faded', async () => {
    const outputs = await passingOutputs()
    const review = await fixtureOutput('review')
    const first = [
      ...stepsFor(outputs, ['requirements', 'architecture', 'infra', 'implementation', 'implementation']),
      { agent: 'reviewer', stage: 'review', output: requestChanges(review) },
      { agent: 'reviewer', stage: 'review', output: review },
      ...stepsFor(outputs, ['build_test', 'build_test', 'integration', 'final_approval']),
    ]
    const root = await runProject(first)
    const one = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(one.code).toBe(0)
    const failures = await readFile(join(root, 'memory', 'failure.jsonl'), 'utf8')
    expect(failures).toContain('review sent implementation back: The limiter is not wired')

    // The next run: implementation is reminded of it in its prompt.
    await writeFile(join(root, 'script.yaml'), stringify({ version: 1, steps: stepsFor(outputs) }))
    const two = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(two.code).toBe(0)
    const reminded = await promptsOf(root, runIdOf(two.stdout), 'implementation')
    expect(reminded).toContain('review sent implementation back: The limiter is not wired')
    const events = await runEvents(root, runIdOf(two.stdout))
    expect(events.find((e) => e.type === 'memory.recalled' && e.agent === 'implementation')).toBeDefined()

    // Five failure half-lives (24 h each) later the note is below the prune threshold: gone.
    const aged = failures
      .trim()
      .split('\n')
      .map((line) => {
        const entry = JSON.parse(line) as { reinforced: string }
        entry.reinforced = new Date(Date.now() - 5 * 24 * HOUR).toISOString()
        return JSON.stringify(entry)
      })
    await writeFile(join(root, 'memory', 'failure.jsonl'), `${aged.join('\n')}\n`)
    const three = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(three.code).toBe(0)
    const faded = await promptsOf(root, runIdOf(three.stdout), 'implementation')
    expect(faded).not.toContain('The limiter is not wired')
    expect(await readFile(join(root, 'memory', 'failure.jsonl'), 'utf8')).not.toContain(
      'The limiter is not wired',
    )
  })
})

describe('a memory scope the policy shares although .gitignore ignores it', () => {
  it('is committed with the run and lands on main', async () => {
    const steps = await sampleSteps()
    const review = steps.find((s) => s.stage === 'review')
    const changes = {
      verdict: 'request_changes',
      summary: 'farewell() needs a doc comment.',
      comments: [{ file: 'src/farewell.js', line: 1, severity: 'major', message: 'No doc comment.' }],
      standards_checked: ['Tests'],
    }
    const implementation = steps.find((s) => s.stage === 'implementation')
    const index = steps.findIndex((s) => s.stage === 'review')
    if (!review || !implementation) throw new Error('the sample steps have no review or implementation')
    // The review asks for changes once: a failure note for implementation, in a scope shared here.
    const documented = farewellEdit(
      'export function farewell',
      '/** Says goodbye. */\nexport function farewell',
    )
    steps.splice(
      index,
      0,
      { ...review, output: changes, delay_ms: 2000 },
      await implementationStep(documented),
    )
    steps.push(steps.find((s) => s.stage === 'build_test') ?? review)
    const root = await sampleRepo(steps, {
      edit: async (dir) => {
        const policy = await readFile(join(repoRoot, 'memory', 'policy.yaml'), 'utf8')
        await mkdir(join(dir, 'memory'), { recursive: true })
        const shared = policy.replace(/(failure:\n\s+half_life: \S+\n\s+shared: )false/, '$1true')
        expect(shared).not.toBe(policy)
        await writeFile(join(dir, 'memory', 'policy.yaml'), shared)
      },
    })
    expect(await readFile(join(root, '.gitignore'), 'utf8')).toContain('memory/failure*')
    const { code, stdout } = await runCli(['run', 'Add a farewell function', '--approve', 'auto'], {
      cwd: root,
      timeoutMs: 60_000,
    })
    expect(code, stdout).toBe(0)
    expect(gitIn(root, 'show', 'main:memory/failure.jsonl')).toContain('review sent implementation back')
  }, 60_000)
})
