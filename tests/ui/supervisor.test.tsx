import { afterEach, describe, expect, it } from 'vitest'
import type { RunEvent } from '../../src/core/run/events.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import { renderSupervisor } from '../helpers/supervisor.js'

type Ui = Awaited<ReturnType<typeof renderSupervisor>>
let ui: Ui | undefined
afterEach(() => ui?.unmount())

const started: RunEvent = {
  type: 'run.started',
  run_id: '20261121-100000-abc123',
  requirement: 'Add a farewell function',
  root: '/tmp/sample',
  workflow: DEFAULT_WORKFLOW,
  options: { provider: 'scripted', script: undefined, approve: 'ask' },
  autonomy: { implementation: { value: 0.3, level: 'supervised' } },
}

const gate = (gate_id: string, stage: string, agent: string): RunEvent[] => [
  { type: 'stage.started', stage, agent, visit: 1 },
  {
    type: 'gate.requested',
    gate_id,
    stage,
    agent,
    visit: 1,
    output: { summary: `the ${stage} output`, token: 'sk-secret' },
    summary: `${stage} is ready`,
  },
]

describe('the supervisor', () => {
  it('opens on the status line, the workflow, the panels and the footer from the key table', async () => {
    ui = await renderSupervisor({ columns: 140 })
    const frame = await ui.waitFor('no run yet')
    expect(frame).toContain('sample @ main')
    expect(frame).toContain('mode ask')
    for (const stage of ['requirements', 'architecture', 'final_approval']) expect(frame).toContain(stage)
    expect(frame).toContain('1 Approvals')
    expect(frame).toContain('Nothing waits for a decision.')
    expect(frame).toContain('? show every key')
    expect(frame).toContain('n start a run')
    // Nothing is running, so cancelling is not offered.
    expect(frame).not.toContain('x cancel')
  })

  it('starts a run from a typed requirement', async () => {
    ui = await renderSupervisor()
    await ui.press('n')
    await ui.waitFor('Requirement for a new run')
    await ui.type('Add a farewel')
    await ui.press('backspace')
    await ui.type('l!')
    await ui.waitFor('> Add a farewel!')
    await ui.press('enter')
    expect(ui.calls).toEqual([['startRun', 'Add a farewel!']])
    expect(ui.frame()).not.toContain('Requirement for a new run')
  })

  it('sends typed text that arrives together with its enter, as a paste or a fast typist does', async () => {
    ui = await renderSupervisor()
    await ui.press('n')
    await ui.waitFor('Requirement for a new run')
    await ui.type('Add a')
    await ui.press(' farewell\nfunction\r')
    await ui.waitFor((frame) => !frame.includes('Requirement for a new run'))
    expect(ui.calls).toEqual([['startRun', 'Add a farewell function']])
  })

  it('takes keys read together one at a time, and the rest as text once an input opens', async () => {
    const view = await renderSupervisor()
    ui = view
    await view.press('3nShip it\r')
    await view.waitFor(() => view.calls.length > 0)
    expect(view.calls).toEqual([['startRun', 'Ship it']])
    expect(view.store.getState().focus).toBe('agents')
  })

  it('shows the queue one item at a time, approves with a key and rejects with a reason typed inline', async () => {
    ui = await renderSupervisor()
    ui.feed(started, ...gate('g-one', 'requirements', 'product'), ...gate('g-two', 'infra', 'infra'))
    let frame = await ui.waitFor('approval 1 of 2')
    expect(frame).toContain('g-one')
    expect(frame).toContain('product (authority 9')
    expect(frame).toContain('requires_approval')
    // The screen never shows a secret, even one an agent put in its output.
    expect(frame).not.toContain('sk-secret')
    expect(frame).toContain('⏸ 2 approvals')
    await ui.press('a')
    expect(ui.calls).toContainEqual(['answer', 'g-one', 'approve'])
    await ui.press('down')
    frame = await ui.waitFor('approval 2 of 2')
    expect(frame).toContain('g-two')
    await ui.press('r')
    await ui.waitFor('Why reject g-two?')
    await ui.type('name the risk')
    await ui.press('enter')
    expect(ui.calls).toContainEqual(['answer', 'g-two', 'reject', 'name the risk'])
    // The run takes the answers; the queue empties and says so.
    ui.feed(
      {
        type: 'gate.answered',
        gate_id: 'g-one',
        decision: 'approve',
        by: 'supervisor',
        next: { kind: 'pass', stage: 'requirements', output: {} },
      },
      {
        type: 'gate.answered',
        gate_id: 'g-two',
        decision: 'reject',
        reason: 'name the risk',
        by: 'supervisor',
        next: { kind: 'rerun', stage: 'infra', feedback: 'x' },
      },
    )
    await ui.waitFor('Nothing waits for a decision.')
  })

  it('opens the diff of a decision full screen and scrolls it', async () => {
    ui = await renderSupervisor({ rows: 24, columns: 80 })
    ui.feed(started, ...gate('g-one', 'requirements', 'product'))
    await ui.waitFor('approval 1 of 1')
    await ui.press('d')
    let frame = await ui.waitFor('g-one · requirements · product')
    expect(frame).toContain('summary: the requirements output')
    await ui.press('escape')
    frame = await ui.waitFor('approval 1 of 1')
    expect(frame).not.toContain('lines 1-')
  })

  it('asks for the diffs of the artifacts a stage wrote before its gate', async () => {
    ui = await renderSupervisor()
    const [begin, asked] = gate('g-one', 'requirements', 'product')
    ui.feed(
      started,
      begin as RunEvent,
      {
        type: 'effect.recorded',
        stage: 'requirements',
        agent: 'product',
        kind: 'artifact',
        name: 'REQUIREMENTS.md',
        detail: '',
        commit: 'c1',
      },
      asked as RunEvent,
    )
    await ui.waitFor('wrote REQUIREMENTS.md: d shows the diff')
    await ui.press('d')
    expect(ui.calls).toEqual([
      ['showDiffs', 'g-one · requirements · product', [{ name: 'REQUIREMENTS.md', commit: 'c1' }]],
    ])
  })

  it('tells why a key does nothing', async () => {
    ui = await renderSupervisor()
    await ui.press('a')
    await ui.waitFor('a: nothing waits for a decision')
    await ui.press('x')
    await ui.waitFor('x: no run is in progress')
    expect(ui.calls).toEqual([])
  })

  it('cycles the approval mode and tells the session', async () => {
    ui = await renderSupervisor()
    await ui.press('m')
    await ui.waitFor('mode auto')
    await ui.press('m')
    await ui.waitFor('mode reject')
    await ui.press('m')
    await ui.waitFor('mode ask')
    expect(ui.calls).toEqual([
      ['modeChanged', 'auto'],
      ['modeChanged', 'reject'],
      ['modeChanged', 'ask'],
    ])
  })

  it('lists violations newest first and shows where one is and the offending value', async () => {
    ui = await renderSupervisor()
    ui.feed(started, {
      type: 'agent.violations',
      agent: 'architect',
      stage: 'architecture',
      attempt: 1,
      will_repair: true,
      values: ['[]'],
      violations: [
        {
          rule_id: 'ARCH-001',
          severity: 'error',
          message: 'Must define at least one component',
          location: '/components',
          suggested_fix: 'Add a component',
        },
      ],
    })
    await ui.press('2')
    let frame = await ui.waitFor('ARCH-001')
    expect(frame).toContain('fix: Add a component')
    await ui.press('enter')
    frame = await ui.waitFor('location: /components')
    expect(frame).toContain('value: []')
    await ui.press('escape')
    await ui.waitFor('2 Violations (1)')
  })

  it("asks the session for an artifact's commits and a contract's editor", async () => {
    ui = await renderSupervisor()
    ui.store.getState().set({
      artifacts: [
        {
          name: 'REQUIREMENTS.md',
          owner: 'product',
          versions: 2,
          last: { time: '2026-11-21T10:00:00Z', subject: 'Requirements' },
        },
      ],
      contracts: [
        {
          name: 'review',
          file: '/tmp/contracts/review.yaml',
          status: 'valid',
          version: '1.0.0',
          issue: undefined,
          note: undefined,
        },
      ],
    })
    await ui.press('4')
    await ui.waitFor('REQUIREMENTS.md')
    await ui.press('enter')
    await ui.press('5')
    await ui.waitFor('review')
    await ui.press('e')
    expect(ui.calls).toEqual([
      ['showArtifact', 'REQUIREMENTS.md'],
      ['editFile', '/tmp/contracts/review.yaml'],
    ])
  })

  it('shows a live reload and an invalid edit with the version still in force', async () => {
    ui = await renderSupervisor()
    ui.store.getState().set({
      contracts: [
        {
          name: 'review',
          file: '/c/review.yaml',
          status: 'valid',
          version: '1.0.0',
          issue: undefined,
          note: undefined,
        },
      ],
    })
    await ui.press('5')
    ui.contract({
      type: 'contract.invalid',
      name: 'review',
      file: '/c/review.yaml',
      in_force: '1.0.0',
      issues: [
        {
          file: '/c/review.yaml',
          line: 3,
          col: 5,
          code: 'CONTRACT_SHAPE',
          message: 'version must be a string',
        },
      ],
    })
    let frame = await ui.waitFor('1.0.0 stays in force')
    expect(frame).toContain('3:5 version must be a string')
    ui.contract({
      type: 'contract.reloaded',
      name: 'review',
      file: '/c/review.yaml',
      version: '1.1.0',
      previous_version: '1.0.0',
    })
    frame = await ui.waitFor('reloaded 1.0.0 → 1.1.0')
    expect(frame).toContain('✓ review')
  })

  it("keeps a finished run's summary on screen", async () => {
    ui = await renderSupervisor()
    ui.feed(started, { type: 'run.finished', status: 'failed', message: 'no stage can run' })
    const frame = await ui.waitFor('stages passed')
    expect(frame).toContain('run 20261121-100000-abc123 failed: no stage can run')
  })

  it('filters the log by agent', async () => {
    ui = await renderSupervisor()
    ui.feed(
      started,
      { type: 'stage.started', stage: 'requirements', agent: 'product', visit: 1 },
      { type: 'stage.started', stage: 'architecture', agent: 'architect', visit: 1 },
    )
    await ui.press('7')
    let frame = await ui.waitFor('architecture #1 started')
    expect(frame).toContain('requirements #1 started')
    await ui.press('f', 'f')
    frame = await ui.waitFor('only product')
    expect(frame).toContain('requirements #1 started')
    expect(frame).not.toContain('architecture #1 started')
  })

  it('shows the help overlay from the key table and closes it', async () => {
    ui = await renderSupervisor({ rows: 30, columns: 120 })
    await ui.press('?')
    const frame = await ui.waitFor('Keys (escape closes)')
    // Every binding fits, in columns: the first and the last of the table.
    expect(frame).toContain('show every key')
    expect(frame).toContain('cycle the approval mode')
    expect(frame).toContain('close (a violation)')
    await ui.press('escape')
    await ui.waitFor('1 Approvals')
  })

  it('quits through the session', async () => {
    ui = await renderSupervisor()
    await ui.press('q')
    expect(ui.calls).toEqual([['quit']])
  })
})
