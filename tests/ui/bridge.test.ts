import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RunEvent } from '../../src/core/run/events.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import { BUSY_EVENTS, BUSY_FRAME_MS, createBridge, FRAME_MS } from '../../src/ui/store/bridge.js'
import { createSupervisorStore } from '../../src/ui/store/store.js'
import { eventSender, FACTS } from '../helpers/supervisor.js'

afterEach(() => vi.useRealTimers())

function setUp() {
  const store = createSupervisorStore({
    project: { repo: 'r', branch: 'main', provider: 'scripted', model: 'm' },
    workflow: DEFAULT_WORKFLOW,
    agents: [],
    thresholds: FACTS.thresholds,
  })
  const changed: string[] = []
  const bridge = createBridge(store, FACTS, { changed: (what) => changed.push(what) })
  let updates = 0
  store.subscribe(() => updates++)
  const send = eventSender(bridge.listener)
  return { store, bridge, send, changed, updates: () => updates }
}

const started: RunEvent = {
  type: 'run.started',
  run_id: 'r-1',
  requirement: 'Add a farewell',
  root: '/tmp/x',
  workflow: DEFAULT_WORKFLOW,
  options: { provider: 'scripted', script: undefined, approve: 'ask' },
}

describe('the bridge from run events to the store', () => {
  it('shows a run start at once and coalesces a burst of events into one update per frame', () => {
    vi.useFakeTimers()
    const ui = setUp()
    ui.send(started)
    expect(ui.updates()).toBe(1)
    for (let i = 0; i < 1000; i++)
      ui.send({
        type: 'agent.attempt_started',
        agent: 'product',
        stage: 'requirements',
        attempt: i + 1,
        model: 'm',
      })
    ui.send({ type: 'stage.started', stage: 'requirements', agent: 'product', visit: 1 })
    expect(ui.updates()).toBe(1)
    vi.advanceTimersByTime(FRAME_MS)
    expect(ui.updates()).toBe(2)
    expect(ui.store.getState().stages.requirements?.status).toBe('running')
    expect(ui.store.getState().agents).toEqual([])
    expect(ui.store.getState().log.at(-1)?.text).toBe('requirements #1 started')
  })

  it('moves the clock each frame while a stage runs, each second while the run waits, and not after it ends', () => {
    vi.useFakeTimers()
    const ui = setUp()
    const clock = () => ui.store.getState().clock
    ui.send(started)
    // Nothing runs yet: the clock moves once a second, for the elapsed time.
    let before = clock()
    vi.advanceTimersByTime(FRAME_MS)
    expect(clock()).toBe(before)
    vi.advanceTimersByTime(1000 - FRAME_MS)
    expect(clock()).toBe(before + 1000)
    // A stage runs: every frame, even without events, so that its spinner turns.
    ui.send({ type: 'stage.started', stage: 'requirements', agent: 'product', visit: 1 })
    vi.advanceTimersByTime(FRAME_MS)
    before = clock()
    const updates = ui.updates()
    vi.advanceTimersByTime(3 * FRAME_MS)
    expect(clock()).toBe(before + 3 * FRAME_MS)
    expect(ui.updates()).toBe(updates + 3)
    ui.send({ type: 'run.cancelled', message: 'stopped' })
    const last = ui.updates()
    vi.advanceTimersByTime(5000)
    expect(ui.updates()).toBe(last)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('draws a flood of events twice a second, and four times again once it is over', () => {
    vi.useFakeTimers()
    const ui = setUp()
    ui.send(started)
    ui.send({ type: 'stage.started', stage: 'requirements', agent: 'product', visit: 1 })
    vi.advanceTimersByTime(FRAME_MS)
    const attempt = (n: number) => ({
      type: 'agent.attempt_started' as const,
      agent: 'product',
      stage: 'requirements',
      attempt: n,
      model: 'm',
    })
    for (let i = 0; i < BUSY_EVENTS; i++) ui.send(attempt(i))
    vi.advanceTimersByTime(FRAME_MS) // this frame brings the flood: the next one waits longer
    const frames = () => ui.store.getState().frame
    let before = frames()
    for (let i = 0; i < BUSY_EVENTS; i++) ui.send(attempt(i))
    vi.advanceTimersByTime(BUSY_FRAME_MS - 1)
    expect(frames()).toBe(before)
    vi.advanceTimersByTime(1)
    expect(frames()).toBe(before + 1)
    // Quiet again: a few events, and the frame after them comes at the usual rate.
    ui.send(attempt(1))
    vi.advanceTimersByTime(BUSY_FRAME_MS)
    before = frames()
    ui.send(attempt(2))
    vi.advanceTimersByTime(FRAME_MS)
    expect(frames()).toBe(before + 1)
  })

  it('times stages, counts loops taken by failure routing, and sums up a finished run', () => {
    const ui = setUp()
    ui.send(started)
    ui.send({ type: 'stage.started', stage: 'review', agent: 'reviewer', visit: 1 })
    ui.send({
      type: 'stage.failed',
      stage: 'review',
      agent: 'reviewer',
      visit: 1,
      reason: 'verdict',
      message: 'changes requested',
      next: {
        kind: 'reopen',
        stage: 'implementation',
        from: 'review',
        loop: 1,
        budget: 3,
        context: { source_stage: 'review', summary: 'fix it', attempt: 1 },
      },
    })
    // An artifact written again unchanged made no commit: the panels that read git have nothing new.
    const effect = {
      type: 'effect.recorded',
      stage: 'requirements',
      agent: 'product',
      kind: 'artifact',
    } as const
    ui.send({ ...effect, name: 'RISK_REGISTER.md', detail: 'unchanged' })
    ui.bridge.flush()
    expect(ui.changed).toEqual([])
    ui.send({ ...effect, name: 'REQUIREMENTS.md', detail: '900 characters', commit: 'abc1234' })
    ui.send({ type: 'run.finished', status: 'failed', message: 'gave up' })
    const s = ui.store.getState()
    expect(s.stages.implementation?.reopened).toBe(1)
    expect(s.stages.review?.duration_ms).toBeGreaterThanOrEqual(0)
    expect(s.run?.status).toBe('failed')
    expect(s.run?.ended_at).toBeDefined()
    expect(s.run?.summary.join('\n')).toContain('1 loop(s) taken by failure routing')
    expect(ui.changed).toEqual(['artifacts'])
  })

  it('queues an escalation no agent can rule, with both sides and what each key does', () => {
    const ui = setUp()
    ui.send(started)
    ui.send({
      type: 'stage.failed',
      stage: 'architecture',
      agent: 'architect',
      visit: 1,
      reason: 'verdict',
      message: 'infeasible',
      next: {
        kind: 'escalate',
        escalation_id: 'e-1',
        arbiter: 'human',
        conflict: {
          id: 'c-1',
          topic: 'the requirement contradicts itself',
          kind: 'requirement_infeasible',
          stage: 'architecture',
          agents: [
            { agent: 'architect', authority: 10, position: 'infeasible' },
            { agent: 'product', authority: 9, position: 'keep it' },
          ],
          evidence: [{ source: 'architecture', summary: 'two limits disagree' }],
        },
      },
    })
    ui.bridge.flush()
    const [item] = ui.store.getState().queue
    expect(item).toMatchObject({
      id: 'e-1',
      kind: 'escalation',
      agent: 'architect',
      authority: 10,
      summary: 'the requirement contradicts itself',
    })
    expect(item?.why[0]).toContain('Approve upholds architect, reject upholds product')
    expect(item?.detail).toContain('two limits disagree')
  })
})
