import { mkdir, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { DEFAULT_BUDGETS } from '../../src/core/agents/types.js'
import type { Violation } from '../../src/core/contracts/types.js'
import {
  buildReport,
  DEFAULT_EVALUATION,
  recordRunScores,
  type ScoredEvent,
} from '../../src/core/evaluation/index.js'
import { EventLog } from '../../src/core/run/event-log.js'
import type { Next } from '../../src/core/run/events.js'
import { runPaths } from '../../src/core/run/paths.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import { rejection } from '../helpers/rejection.js'
import { tempDir } from '../helpers/temp.js'

const AGENT = Object.fromEntries(DEFAULT_WORKFLOW.stages.map((s) => [s.id, s.agent]))
const authority: Record<string, number> = {
  architect: 10,
  product: 9,
  buildtest: 8,
  integrator: 8,
  reviewer: 7,
  infra: 6,
  implementation: 5,
}
const agents = Object.entries(authority).map(([id, a]) => ({ id, authority: a, budgets: DEFAULT_BUDGETS }))
const models = { strong: 'gpt-4.1', fast: 'gpt-4.1-mini' }
const FAST = new Set(['implementation', 'infra', 'buildtest'])

const guard: Violation = {
  rule_id: 'CS-PATH',
  severity: 'error',
  message: 'outside',
  location: '/files/0',
  suggested_fix: 'f',
}

/** A visit of a stage whose agent answers once (or first with `violations`, then cleanly), then passes unless told otherwise. */
function stage(
  id: string,
  n = 1,
  more: { violations?: Violation[]; outcome?: ScoredEvent | null } = {},
): ScoredEvent[] {
  const agent = AGENT[id] ?? id
  const model = FAST.has(agent) ? models.fast : models.strong
  const usage = { prompt_tokens: 1000, completion_tokens: 200 }
  const events: ScoredEvent[] = [{ type: 'stage.started', stage: id, agent, visit: n }]
  const attempts = more.violations ? [more.violations, []] : [[]]
  attempts.forEach((violations, i) => {
    const at = { agent, stage: id, attempt: i + 1 }
    events.push({ type: 'agent.attempt_started', ...at, model })
    events.push({ type: 'agent.output_received', ...at, usage, cost_usd: 0.001, chars: 10 })
    if (violations.length > 0) events.push({ type: 'agent.violations', ...at, violations, will_repair: true })
    else events.push({ type: 'agent.accepted', ...at, warnings: [] })
  })
  const outcome =
    more.outcome === undefined
      ? { type: 'stage.passed', stage: id, agent, visit: n, output: {} }
      : more.outcome
  return outcome ? [...events, outcome as ScoredEvent] : events
}

const start = (id: string, merge = true): ScoredEvent => ({
  type: 'run.started',
  run_id: id,
  requirement: 'r',
  root: '/',
  workflow: DEFAULT_WORKFLOW,
  options: { provider: 'scripted', script: undefined, approve: 'ask', merge },
})
const failed = (id: string, n: number, next: Next): ScoredEvent => ({
  type: 'stage.failed',
  stage: id,
  agent: AGENT[id] ?? id,
  visit: n,
  reason: 'verdict',
  message: 'no',
  next,
})
const end = (status: 'merged' | 'kept'): ScoredEvent[] => [
  { type: 'integration.finished', status, message: '' },
  { type: 'run.finished', status: 'passed', message: '' },
]
const fail: ScoredEvent = { type: 'run.finished', status: 'failed', message: 'x' }
const upstream = ['requirements', 'architecture'].flatMap((s) => stage(s))
const downstream = ['infra', 'review', 'build_test', 'integration', 'final_approval'].flatMap((s) => stage(s))
const reopen: Next = {
  kind: 'reopen',
  stage: 'implementation',
  from: 'review',
  loop: 1,
  budget: 3,
  context: { source_stage: 'review', summary: 's', attempt: 1 },
}
const conflict = {
  id: 'c',
  topic: 'spent',
  kind: 'loop_budget_spent' as const,
  stage: 'build_test',
  agents: [
    { agent: 'buildtest', authority: 8, position: 'p' },
    { agent: 'implementation', authority: 5, position: 'p' },
  ],
  evidence: [],
}

const RUNS: Record<string, ScoredEvent[]> = {
  // Clean and merged: nobody had to decide anything.
  'r-20250101-000001-0001': [
    start('r-20250101-000001-0001'),
    ...upstream,
    ...stage('implementation'),
    ...downstream,
    ...end('merged'),
  ],
  // Review sends implementation back once; a person approves the second implementation at a gate.
  'r-20250101-000002-0002': [
    start('r-20250101-000002-0002'),
    ...upstream,
    ...stage('implementation'),
    ...stage('review', 1, { outcome: failed('review', 1, reopen) }),
    ...stage('implementation', 2, {
      outcome: {
        type: 'gate.requested',
        gate_id: 'g-1',
        stage: 'implementation',
        agent: 'implementation',
        visit: 2,
        output: {},
        summary: 's',
      },
    }),
    {
      type: 'gate.answered',
      gate_id: 'g-1',
      decision: 'approve',
      by: 'cli',
      next: { kind: 'pass', stage: 'implementation', output: {} },
    },
    ...stage('review', 2),
    ...['infra', 'build_test', 'integration', 'final_approval'].flatMap((s) => stage(s)),
    ...end('merged'),
  ],
  // A guard blocks the first ChangeSet; the tests fail and a person settles the escalation against the implementation.
  'r-20250101-000003-0003': [
    start('r-20250101-000003-0003'),
    ...upstream,
    ...stage('implementation', 1, { violations: [guard] }),
    ...stage('build_test', 1, {
      outcome: failed('build_test', 1, {
        kind: 'escalate',
        escalation_id: 'e-1',
        conflict,
        arbiter: 'human',
      }),
    }),
    {
      type: 'escalation.ruled',
      escalation_id: 'e-1',
      ruling: 'uphold',
      upheld_agent: 'buildtest',
      by: 'cli',
      rationale: 'tests are right',
      next: { kind: 'fail_run', message: 'x' },
    },
    fail,
  ],
  // The implementation runs out of budget.
  'r-20250101-000004-0004': [
    start('r-20250101-000004-0004'),
    ...upstream,
    { type: 'stage.started', stage: 'implementation', agent: 'implementation', visit: 1 },
    {
      type: 'agent.failed',
      agent: 'implementation',
      stage: 'implementation',
      attempt: 0,
      reason: 'budget',
      message: 'spent',
      violations: [],
    },
    fail,
  ],
  // Validated but kept for merging by hand (--no-merge).
  'r-20250101-000005-0005': [
    start('r-20250101-000005-0005', false),
    ...upstream,
    ...stage('implementation'),
    ...downstream,
    ...end('kept'),
  ],
  // Still going.
  'r-20250101-000006-0006': [start('r-20250101-000006-0006'), ...upstream],
}

async function project(): Promise<string> {
  const root = await tempDir()
  for (const [id, events] of Object.entries(RUNS)) {
    const log = await EventLog.open(runPaths(root, id).events)
    for (const e of events) log.append(e)
    await log.close()
  }
  await mkdir(runPaths(root, 'r-20250101-000007-0007').dir, { recursive: true })
  await writeFile(runPaths(root, 'r-20250101-000007-0007').events, 'not json\n{}\n')
  return root
}

const config = { models, evaluation: DEFAULT_EVALUATION }

describe('buildReport', () => {
  it('adds up usage, violations, decisions and the system figures of every run', async () => {
    const root = await project()
    const report = await buildReport(root, { agents, config })
    expect(report.scope).toMatchObject({ run_id: undefined, runs: 6, first: 'r-20250101-000001-0001' })
    expect(report.problems).toEqual([
      { run_id: 'r-20250101-000007-0007', message: expect.stringContaining('damaged at line 1') },
    ])
    const s = report.system
    expect(s.integration_success).toEqual({ value: 1, count: 2, of: 2 })
    expect(s.unsupervised_completion).toEqual({ value: 1 / 6, count: 1, of: 6 })
    expect(s.rollbacks_per_run).toMatchObject({ count: 1, of: 6 })
    expect(s.guard_blocks).toBe(1)
    expect(s.budget_exceeded.count).toBe(1)
    expect(s.contract_violations.count).toBe(1)
    expect(s.fast_model_calls.count).toBeGreaterThan(0)
    expect(s.fast_model_calls.count).toBeLessThan(s.fast_model_calls.of)
    expect(report.violations).toEqual([
      { rule_id: 'CS-PATH', severity: 'error', count: 1, agents: { implementation: 1 } },
    ])
    expect(report.gates).toMatchObject({
      approved: 1,
      rejected: 0,
      pending: 0,
      by: { cli: { approved: 1, rejected: 0 } },
    })
    expect(report.escalations.items).toEqual([
      expect.objectContaining({
        escalation_id: 'e-1',
        arbiter: 'human',
        ruling: 'uphold',
        by: 'cli',
        upheld_agent: 'buildtest',
      }),
    ])
    expect(report.usage.rework.by_stage).toEqual({
      implementation: { tokens: 1200, cost_usd: 0.001, calls: 1 },
      review: { tokens: 1200, cost_usd: 0.001, calls: 1 },
    })
    expect(report.usage.total.tokens).toBe(report.usage.total.calls * 1200)
    expect(report.agents.map((a) => a.agent)).toEqual([
      'architect',
      'product',
      'buildtest',
      'integrator',
      'reviewer',
      'infra',
      'implementation',
    ])
    const implementation = report.agents.find((a) => a.agent === 'implementation')
    expect(implementation).toMatchObject({ runs: 5, visits: 6 })
    expect(implementation?.standing.runs).toBe(5)
    expect(report.book.pending_runs).toBe(5)
  })

  it('shows the same standing whether the runs were recorded or only folded in', async () => {
    const root = await project()
    const folded = await buildReport(root, { agents, config })
    for (const id of Object.keys(RUNS).slice(0, 5))
      await recordRunScores(root, id, { agents, config: DEFAULT_EVALUATION })
    const recorded = await buildReport(root, { agents, config })
    expect(recorded.book.pending_runs).toBe(0)
    expect(recorded.agents.map((a) => a.standing)).toEqual(folded.agents.map((a) => a.standing))
  })

  it('reports one run, and refuses an unknown one with the known ids', async () => {
    const root = await project()
    const one = await buildReport(root, { runId: 'r-20250101-000002-0002', agents, config })
    expect(one.scope).toEqual({
      run_id: 'r-20250101-000002-0002',
      runs: 1,
      first: 'r-20250101-000002-0002',
      last: 'r-20250101-000002-0002',
    })
    expect(one.gates.approved).toBe(1)
    expect(one.system.rollbacks_per_run.value).toBe(1)
    const error = await rejection(buildReport(root, { runId: 'r-nope', agents, config }))
    expect(error).toMatchObject({ code: 'RUN_UNKNOWN', kind: 'user' })
    expect(error.hint).toContain('r-20250101-000006-0006')
    const empty = await buildReport(await tempDir(), { agents, config })
    expect(empty.scope.runs).toBe(0)
    expect(empty.system.integration_success.value).toBeNull()
  })
})
