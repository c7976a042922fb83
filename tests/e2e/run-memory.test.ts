import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
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
