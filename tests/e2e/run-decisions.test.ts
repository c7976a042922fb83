import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/cli.js'
import {
  fixtureOutput,
  passingOutputs,
  requireApproval,
  runEvents,
  runProject,
  stepsFor,
} from '../helpers/run-project.js'
import { waitFor } from '../helpers/temp.js'
import { promptText } from '../helpers/prompts.js'

const REQUIREMENT = 'Add rate limiting to the login endpoint'

describe('decisions by a person', () => {
  it('waits at gates; one approved and another rejected with a reason from a second process', async () => {
    const outputs = await passingOutputs()
    const steps = [
      ...stepsFor(outputs, ['requirements', 'architecture', 'infra', 'implementation', 'implementation']),
      ...stepsFor(outputs, ['review', 'build_test', 'integration', 'final_approval']),
    ]
    const root = await runProject(steps, async (dir) => {
      await requireApproval(dir, 'architect')
      await requireApproval(dir, 'implementation')
    })
    const run = spawnCli(['run', REQUIREMENT], { cwd: root })
    const gateId = (stage: string) =>
      waitFor(
        () =>
          new RegExp(`gate (g-[0-9a-f]{6}): approve the output of \\w+ for ${stage}`).exec(run.output())?.[1],
        10_000,
        `gate of ${stage}`,
      )

    const architecture = await gateId('architecture')
    const approved = await runCli(['approve', architecture], { cwd: root })
    expect(approved.stdout).toMatch(new RegExp(`${architecture} approved; run r-\\S+ goes on`))

    const implementation = await gateId('implementation')
    const status = await runCli(['status'], { cwd: root })
    expect(status.stdout).toContain(`waiting: ${implementation} (gate)`)
    const rejected = await runCli(
      ['reject', implementation, '--reason', 'Add a test for the reset after a successful login'],
      { cwd: root },
    )
    expect(rejected.code).toBe(0)

    // The implementation runs again with the reason; its second answer and the final approval are approved.
    for (const stage of ['implementation', 'final_approval']) {
      const pattern = new RegExp(`gate (g-[0-9a-f]{6}): approve the output of \\w+ for ${stage}`, 'g')
      const id = await waitFor(
        () => [...run.output().matchAll(pattern)].map((m) => m[1]).find((g) => g !== implementation),
        10_000,
        `the next gate of ${stage}`,
      )
      await runCli(['approve', id ?? ''], { cwd: root })
    }
    expect(await run.exit).toBe(0)
    expect(run.output()).toContain(`gate ${implementation} rejected by cli: Add a test for the reset`)

    // The reason reached the agent: the prompt of its second visit carries it.
    const runId = /run (r-\S+):/.exec(run.output())?.[1] ?? ''
    const second_prompt = await promptText(root, runId, { stage: 'implementation', visit: 2 })
    expect(second_prompt).toContain(
      'a person rejected the previous answer: Add a test for the reset after a successful login',
    )
  })

  it('answers gates without a person with --approve auto or reject', async () => {
    const steps = stepsFor(await passingOutputs())
    const approving = await runProject(steps, (dir) => requireApproval(dir, 'architect'))
    expect((await runCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: approving })).code).toBe(0)
    const rejecting = await runProject(steps, (dir) => requireApproval(dir, 'architect'))
    const rejected = await runCli(['run', REQUIREMENT, '--approve', 'reject'], { cwd: rejecting })
    expect(rejected.code).toBe(1)
    expect(rejected.stdout).toMatch(
      /architecture\s+architect\s+#1 failed: the output of architect for architecture needs approval, and --approve reject refuses it/,
    )
    const wrong = await runCli(['run', REQUIREMENT, '--approve', 'maybe'], { cwd: rejecting })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--approve must be ask, auto or reject')
  })

  it('sends product against architect to a person, and waits; approve upholds the architect', async () => {
    const outputs = await passingOutputs()
    const infeasible = {
      ...(await fixtureOutput('architecture')),
      feasibility: {
        status: 'contradictory',
        explanation: 'REQ-2 hides whether a user exists while REQ-4 reports it to the user.',
      },
    }
    const steps = [
      { agent: 'product', stage: 'requirements', output: outputs.requirements },
      { agent: 'architect', stage: 'architecture', output: infeasible },
      ...stepsFor(outputs, [
        'requirements',
        'architecture',
        'implementation',
        'infra',
        'review',
        'build_test',
        'integration',
        'final_approval',
      ]),
    ]
    const root = await runProject(steps)
    const stopped = await runCli(['run', REQUIREMENT, '--no-wait'], { cwd: root })
    expect(stopped.code).toBe(3)
    expect(stopped.stdout).toMatch(
      /escalation (e-[0-9a-f]{6}) needs a person: architect \(10\) vs product \(9\)/,
    )
    const escalation = /escalation (e-[0-9a-f]{6}) needs a person/.exec(stopped.stdout)?.[1] ?? ''
    const runId = /run (r-\S+):/.exec(stopped.stdout)?.[1] ?? ''
    const status = JSON.parse((await runCli(['status', '--json'], { cwd: root })).stdout) as {
      runs: { status: string; decisions: { id: string }[] }[]
    }
    expect(status.runs[0]).toMatchObject({ status: 'awaiting_human', decisions: [{ id: escalation }] })

    const answered = await runCli(
      ['approve', escalation, '--reason', 'Product must settle REQ-2 against REQ-4'],
      { cwd: root },
    )
    expect(answered.stdout).toContain(`is not running: continue it with \`macds resume ${runId}\``)
    const resumed = await runCli(['resume', runId], { cwd: root })
    expect(resumed.stdout).toMatch(/escalation e-\S+ ruled by cli: uphold architect/)
    expect(resumed.stdout).toMatch(/→ re-opens requirements/)
    expect(resumed.stdout).toMatch(/requirements\s+product\s+#2 passed/)
    expect(resumed.code).toBe(0)
    const events = await runEvents(root, runId)
    expect(events.filter((e) => e.type === 'stage.passed' && e.stage === 'requirements')).toHaveLength(2)
  })
})
