import { existsSync, readFileSync } from 'node:fs'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/cli.js'
import { passingOutputs, runEvents, runProject, stepsFor } from '../helpers/run-project.js'
import { waitFor } from '../helpers/temp.js'

const REQUIREMENT = 'Add rate limiting to the login endpoint'

/** The last passing output of every stage, from a run's log. */
async function finalOutputs(root: string, runId: string): Promise<Record<string, unknown>> {
  const outputs: Record<string, unknown> = {}
  for (const e of await runEvents(root, runId))
    if (e.type === 'stage.passed') outputs[String(e.stage)] = e.output
  return outputs
}

async function onlyRun(root: string): Promise<string> {
  const [id] = await readdir(join(root, '.macds', 'runs'))
  return id ?? ''
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0
}

describe('kill -9 and resume', () => {
  it.each([3, 12, 24, 36])('continues after a kill at event %i as if never interrupted', async (killAt) => {
    const steps = stepsFor(await passingOutputs(), undefined, { delay_ms: 40 })
    const reference = await runProject(steps)
    expect((await runCli(['run', REQUIREMENT], { cwd: reference })).code).toBe(0)
    const expected = await finalOutputs(reference, await onlyRun(reference))

    const root = await runProject(steps)
    const run = spawnCli(['run', REQUIREMENT], { cwd: root })
    const runId = await waitFor(() => /run (r-\S+):/.exec(run.output())?.[1], 10_000, 'the run id')
    const log = join(root, '.macds', 'runs', runId, 'events.jsonl')
    await waitFor(() => (lines(log) >= killAt ? true : undefined), 10_000, `${killAt} events`)
    run.child.kill('SIGKILL')
    expect(await run.exit).toBe(null)

    const status = JSON.parse((await runCli(['status', '--json'], { cwd: root })).stdout) as {
      runs: { status: string }[]
    }
    expect(status.runs[0]?.status).toBe('stopped')
    const resumed = await runCli(['resume', runId], { cwd: root })
    expect(resumed.stdout).toContain(`run ${runId} resumed`)
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)

    expect(await finalOutputs(root, runId)).toEqual(expected)
    const events = await runEvents(root, runId)
    const passed = events.filter((e) => e.type === 'stage.passed').map((e) => String(e.stage))
    expect(passed.sort()).toEqual(Object.keys(expected).sort())
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
  })

  it('cancels cleanly on SIGINT with exit 130, and resume finishes the run', async () => {
    // The architect's call takes 4 s: only a cancel that reaches the provider ends the run sooner.
    const steps = stepsFor(await passingOutputs()).map((step) =>
      step.stage === 'architecture' ? { ...step, delay_ms: 4000 } : step,
    )
    const root = await runProject(steps)
    const run = spawnCli(['run', REQUIREMENT], { cwd: root })
    const runId = await waitFor(() => /run (r-\S+):/.exec(run.output())?.[1], 10_000, 'the run id')
    await waitFor(
      () => (/architecture\s+architect\s+#1 started/.test(run.output()) ? true : undefined),
      10_000,
      'architecture',
    )
    const sent = Date.now()
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(130)
    expect(Date.now() - sent).toBeLessThan(2500)
    expect(run.output()).toContain(`run ${runId} cancelled`)
    const events = await runEvents(root, runId)
    expect(events.at(-1)).toMatchObject({ type: 'run.cancelled' })
    const resumed = await runCli(['resume', runId], { cwd: root })
    expect(resumed.code, resumed.stdout).toBe(0)
  })

  it('keeps the last valid contract in force when a contract file breaks mid-run', async () => {
    const root = await runProject(stepsFor(await passingOutputs(), undefined, { delay_ms: 150 }))
    const run = spawnCli(['run', REQUIREMENT], { cwd: root })
    await waitFor(
      () => (/requirements\s+product\s+#1 started/.test(run.output()) ? true : undefined),
      10_000,
      'start',
    )
    await writeFile(join(root, 'contracts', 'review.yaml'), 'name: review\nversion: [broken\n')
    expect(await run.exit).toBe(0)
    expect(run.output()).toMatch(/review\s+reviewer\s+#1 passed/)
    const runId = /run (r-\S+):/.exec(run.output())?.[1] ?? ''
    const invalid = (await runEvents(root, runId)).find((e) => e.type === 'contract.invalid')
    expect(invalid).toMatchObject({ name: 'review', in_force: '1.0.0' })
  })

  it('refuses to resume a run another live process drives', async () => {
    const steps = stepsFor(await passingOutputs(), undefined, { delay_ms: 300 })
    const root = await runProject(steps)
    const run = spawnCli(['run', REQUIREMENT], { cwd: root })
    const runId = await waitFor(() => /run (r-\S+):/.exec(run.output())?.[1], 10_000, 'the run id')
    const second = await runCli(['resume', runId], { cwd: root })
    expect(second.code).toBe(2)
    expect(second.stderr).toMatch(new RegExp(`run ${runId} is being driven by process \\d+`))
    // The refusal wrote nothing: the live run finishes and its log stays whole.
    expect(await run.exit).toBe(0)
    const events = await runEvents(root, runId)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(events.some((e) => e.type === 'run.resumed')).toBe(false)
    expect((await runCli(['status'], { cwd: root })).code).toBe(0)
  })
})
