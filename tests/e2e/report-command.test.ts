import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { runCli, repoRoot } from '../helpers/cli.js'
import {
  fixtureOutput,
  passingOutputs,
  runIdOf,
  runProject,
  stepsFor,
  type Step,
} from '../helpers/run-project.js'

const REQUIREMENT = 'Add rate limiting to the login endpoint'
const usage = { prompt_tokens: 2000, completion_tokens: 500 }

/** The steps of a second run: a first implementation that breaks its contract, and a review that sends it back once. */
async function bumpySteps(): Promise<Step[]> {
  const outputs = await passingOutputs()
  const review = await fixtureOutput('review')
  const invalid = parse(
    await readFile(join(repoRoot, 'tests/fixtures/contracts/implementation.invalid.yaml'), 'utf8'),
  )
  const [first, ...rest] = review.comments as Record<string, unknown>[]
  const changes = {
    ...review,
    verdict: 'request_changes',
    summary: 'The limiter is not wired into the route yet.',
    comments: [{ ...first, severity: 'major', message: 'limiter.check() is never called' }, ...rest],
  }
  return [
    ...stepsFor(outputs, ['requirements', 'architecture', 'infra'], { usage }),
    {
      agent: 'implementation',
      stage: 'implementation',
      attempt: 1,
      output: (invalid as { output: unknown }).output,
      usage,
    },
    ...stepsFor(outputs, ['implementation', 'implementation'], { usage }),
    { agent: 'reviewer', stage: 'review', output: changes, usage },
    ...stepsFor(outputs, ['review', 'build_test', 'build_test', 'integration', 'final_approval'], { usage }),
  ]
}

/** A project with two finished runs: a clean one, then a bumpy one. */
async function twoRuns(): Promise<{ root: string; ids: string[] }> {
  const root = await runProject(stepsFor(await passingOutputs(), undefined, { usage }))
  const first = await runCli(['run', REQUIREMENT], { cwd: root })
  expect(first.code, first.stdout + first.stderr).toBe(0)
  await writeFile(join(root, 'script.yaml'), stringify({ version: 1, steps: await bumpySteps() }))
  const second = await runCli(['run', REQUIREMENT], { cwd: root })
  expect(second.code, second.stdout + second.stderr).toBe(0)
  return { root, ids: [runIdOf(first.stdout), runIdOf(second.stdout)] }
}

describe('macds report', () => {
  it('reports scores, autonomy, usage, violations and system figures of two runs', async () => {
    const { root, ids } = await twoRuns()
    const text = await runCli(['report'], { cwd: root })
    expect(text.stderr).toBe('')
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`report: 2 runs (${ids[0]} … ${ids[1]})`)
    expect(text.stdout).toMatch(
      /AGENT\s+CORRECT\s+EFFICIENT\s+COMPLIANT\s+COST\s+STABLE\s+SCORE\s+RUNS\s+AUTONOMY\s+LEVEL\s+TREND/,
    )
    expect(text.stdout).toMatch(/implementation\s+[\d.]+\s.*\s2\s+[█░]{10} 0\.\d\d\s+(standard|supervised)/)
    expect(text.stdout).toMatch(/rework loops\s+\d+\s+\$[\d.]+\s+\d+/)
    expect(text.stdout).toMatch(
      /violations by rule\n\s+RULE\s+SEVERITY\s+COUNT\s+AGENTS\n\s+\S+\s+error\s+\d+\s+implementation \d+/,
    )
    expect(text.stdout).toMatch(/integration success\s+100\.0% \(2\/2\)/)
    expect(text.stdout).toMatch(/rollbacks per run\s+0\.50/)
    expect(text.stdout).toMatch(/unsupervised completion\s+100\.0% \(2\/2\)/)

    const json = await runCli(['report', '--json'], { cwd: root })
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(report.scope).toMatchObject({ runs: 2, first: ids[0], last: ids[1] })
    const implementation = report.agents.find((a: { agent: string }) => a.agent === 'implementation')
    expect(implementation).toMatchObject({ runs: 2, visits: 3, standing: { runs: 2 } })
    expect(implementation.scores.compliance).toBeLessThan(100)
    expect(implementation.scores.correctness).toBeLessThan(100)
    const reviewer = report.agents.find((a: { agent: string }) => a.agent === 'reviewer')
    expect(reviewer.scores.correctness).toBe(100)
    expect(implementation.standing.autonomy).toBeLessThan(reviewer.standing.autonomy)
    expect(report.usage.rework.by_stage.implementation.tokens).toBe(2500)
    expect(report.usage.by_agent.implementation.tokens).toBe(4 * 2500)
    expect(report.system.contract_violations).toMatchObject({ count: 1 })
    expect(report.system.fast_model_calls.count).toBeGreaterThan(0)
    // Each run is scored when it ends, so the book already holds both.
    expect(report.book.pending_runs).toBe(0)
  })

  it('reports one run, refuses an unknown one with exit 2, and says when there are none', async () => {
    const { root, ids } = await twoRuns()
    const one = await runCli(['report', '--run', ids[1] ?? '', '--json'], { cwd: root })
    expect(one.code).toBe(0)
    expect(JSON.parse(one.stdout).system.rollbacks_per_run).toEqual({ value: 1, count: 1, of: 1 })
    const text = await runCli(['report', '--run', ids[0] ?? ''], { cwd: root })
    expect(text.stdout).toContain(`report: run ${ids[0]}`)
    expect(text.stdout).toMatch(/rollbacks per run\s+0\.00/)

    const unknown = await runCli(['report', '--run', 'r-20000101-000000-dead'], { cwd: root })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no run r-20000101-000000-dead')
    // Known runs are listed by id: two runs of the same second sort by their random suffix.
    expect(unknown.stderr).toMatch(new RegExp(`Known runs: (${ids[0]}, ${ids[1]}|${ids[1]}, ${ids[0]})`))

    const empty = await runCli(['report'], { cwd: await runProject([]) })
    expect(empty.code).toBe(0)
    expect(empty.stdout).toContain('no runs yet')
  })
})
