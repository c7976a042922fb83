import { describe, expect, it } from 'vitest'
import type { FailureReason } from '../../src/core/agents/events.js'
import type { Violation } from '../../src/core/contracts/types.js'
import { scoreRun, type ScoredEvent, type VisitScore } from '../../src/core/evaluation/index.js'
import type { Conflict, Next } from '../../src/core/run/events.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'

const AGENT: Record<string, string> = Object.fromEntries(DEFAULT_WORKFLOW.stages.map((s) => [s.id, s.agent]))
AGENT.escalation = 'architect'
const budgets = {
  tokens_per_run: 100_000,
  calls_per_stage: 5,
  seconds_per_call: 100,
  max_repairs: 2,
  context_tokens: 0,
}
const agents = Object.values(AGENT).map((id) => ({ id, budgets }))

const start: ScoredEvent = {
  type: 'run.started',
  run_id: 'r1',
  requirement: 'rate limiting',
  root: '/repo',
  workflow: DEFAULT_WORKFLOW,
  options: { provider: 'scripted', script: undefined, approve: 'ask' },
}

const violation = (severity: Violation['severity'], rule_id = 'R-1'): Violation => ({
  rule_id,
  severity,
  message: 'wrong',
  location: '/x',
  suggested_fix: 'fix it',
})

/** A visit of `stage` whose agent answers once per entry of `answers` (its violations); the last is accepted unless `fail` says why not. */
function visit(
  stage: string,
  n: number,
  answers: Violation[][] = [[]],
  more: { fail?: FailureReason; task?: string; started?: boolean } = {},
): ScoredEvent[] {
  const agent = AGENT[stage] ?? stage
  const at = { agent, stage, ...(more.task ? { task: more.task } : {}) }
  const events: ScoredEvent[] =
    more.started === false ? [] : [{ type: 'stage.started', stage, agent, visit: n }]
  answers.forEach((violations, i) => {
    const attempt = i + 1
    const last = i === answers.length - 1
    events.push({ type: 'agent.attempt_started', ...at, attempt, model: 'm' })
    const usage = { prompt_tokens: 4000, completion_tokens: 1000 }
    events.push({ type: 'agent.output_received', ...at, attempt, usage, cost_usd: 0.01, chars: 100 })
    const errors = violations.some((v) => v.severity === 'error')
    if (last && !more.fail && !errors)
      events.push({ type: 'agent.accepted', ...at, attempt, warnings: violations })
    else events.push({ type: 'agent.violations', ...at, attempt, violations, will_repair: !last })
  })
  if (more.fail) {
    const attempt = answers.length
    events.push({
      type: 'agent.failed',
      ...at,
      attempt,
      reason: more.fail,
      message: 'gave up',
      violations: [],
    })
  }
  return events
}

const passed = (stage: string, n = 1): ScoredEvent => ({
  type: 'stage.passed',
  stage,
  agent: AGENT[stage] ?? stage,
  visit: n,
  output: {},
})
const failed = (stage: string, n: number, next: Next): ScoredEvent => ({
  type: 'stage.failed',
  stage,
  agent: AGENT[stage] ?? stage,
  visit: n,
  reason: 'verdict',
  message: 'no',
  next,
})
const reopen = (stage: string, from: string): Next => ({
  kind: 'reopen',
  stage,
  from,
  loop: 1,
  budget: 3,
  context: { source_stage: from, summary: 'wrong', attempt: 1 },
})
const conflict = (agentsInvolved: string[]): Conflict => ({
  id: 'c1',
  topic: 'disagree',
  kind: 'review_rejected_twice',
  stage: 'review',
  agents: agentsInvolved.map((agent) => ({ agent, authority: 5, position: '...' })),
  evidence: [],
})
const upstream = [
  start,
  ...visit('requirements', 1),
  passed('requirements'),
  ...visit('architecture', 1),
  passed('architecture'),
]

function scoresOf(events: ScoredEvent[], stage: string, n = 1): VisitScore[] {
  return scoreRun(events, agents).visits.filter((v) => v.stage === stage && v.visit === n)
}
const one = (events: ScoredEvent[], stage: string, n = 1) => scoresOf(events, stage, n)[0]

describe('scoreRun', () => {
  it('scores a clean run 100 on correctness, compliance and stability', () => {
    const events = [
      ...upstream,
      ...visit('implementation', 1),
      passed('implementation'),
      ...visit('review', 1),
      passed('review'),
      ...visit('build_test', 1),
      passed('build_test'),
    ]
    const run = scoreRun(events, agents)
    expect(run.run_id).toBe('r1')
    expect(run.visits.map((v) => v.stage)).toEqual([
      'requirements',
      'architecture',
      'implementation',
      'review',
      'build_test',
    ])
    for (const v of run.visits) {
      expect(v.scores).toMatchObject({ correctness: 100, compliance: 100, stability: 100, efficiency: 100 })
      expect(v.scores.cost).toBe(95)
    }
    expect(run.agents.implementation).toEqual(one(events, 'implementation')?.scores)
  })

  it.each([
    [
      'a review that re-opens implementation',
      [passed('implementation'), failed('review', 1, reopen('implementation', 'review'))],
      33.3,
      60,
    ],
    [
      'a person rejecting it at a gate',
      [
        {
          type: 'gate.requested',
          gate_id: 'g1',
          stage: 'implementation',
          agent: 'implementation',
          visit: 1,
          output: {},
          summary: 's',
        },
        {
          type: 'gate.answered',
          gate_id: 'g1',
          decision: 'reject',
          by: 'cli',
          next: { kind: 'rerun', stage: 'implementation', feedback: 'no' },
        },
      ],
      14.3,
      100,
    ],
    [
      'a person approving it at a gate',
      [
        {
          type: 'gate.requested',
          gate_id: 'g1',
          stage: 'implementation',
          agent: 'implementation',
          visit: 1,
          output: {},
          summary: 's',
        },
        {
          type: 'gate.answered',
          gate_id: 'g1',
          decision: 'approve',
          by: 'cli',
          next: { kind: 'pass', stage: 'implementation', output: {} },
        },
      ],
      100,
      100,
    ],
    [
      'a ruling that requires a change of it',
      [
        failed('build_test', 1, {
          kind: 'escalate',
          escalation_id: 'e1',
          conflict: conflict(['buildtest', 'implementation']),
          arbiter: { agent: 'architect', authority: 10 },
        }),
        {
          type: 'escalation.ruled',
          escalation_id: 'e1',
          ruling: 'require_change',
          by: 'architect',
          rationale: 'r',
          next: reopen('implementation', 'build_test'),
        },
      ],
      20,
      60,
    ],
  ] as [string, ScoredEvent[], number, number][])(
    'counts %s in correctness',
    (_name, after, correctness, stability) => {
      const events = [...upstream, ...visit('implementation', 1), ...after]
      expect(one(events, 'implementation')?.scores).toMatchObject({ correctness, stability })
    },
  )

  it('holds an escalation ruling against the agent it did not uphold, and for the one it did', () => {
    const escalate: Next = {
      kind: 'escalate',
      escalation_id: 'e1',
      conflict: conflict(['reviewer', 'implementation']),
      arbiter: { agent: 'architect', authority: 10 },
    }
    const events = [
      ...upstream,
      ...visit('implementation', 1),
      passed('implementation'),
      ...visit('review', 1),
      failed('review', 1, escalate),
      ...visit('escalation', 1, [[]], { started: false }),
      {
        type: 'escalation.ruled',
        escalation_id: 'e1',
        ruling: 'uphold',
        upheld_agent: 'implementation',
        by: 'architect',
        rationale: 'r',
        next: { kind: 'pass', stage: 'review', output: {} },
      },
    ] as ScoredEvent[]
    expect(one(events, 'review')?.scores.correctness).toBe(20)
    expect(one(events, 'implementation')?.scores.correctness).toBe(100)
    expect(one(events, 'escalation')?.scores.correctness).toBe(100)
  })

  it('lets the judges of a stage confirm it: final approval judges the architecture', () => {
    const events = [
      ...upstream,
      ...visit('final_approval', 1),
      failed('final_approval', 1, reopen('architecture', 'final_approval')),
      ...visit('architecture', 2),
      passed('architecture', 2),
      ...visit('final_approval', 2),
      passed('final_approval', 2),
    ]
    expect(one(events, 'architecture', 1)?.scores).toMatchObject({ correctness: 33.3, stability: 60 })
    expect(one(events, 'architecture', 2)?.scores).toMatchObject({ correctness: 100, stability: 100 })
    expect(one(events, 'final_approval', 1)?.scores.correctness).toBe(100)
  })

  it('scores compliance on the first answer and stability on the repairs', () => {
    const events = [
      start,
      ...visit('requirements', 1, [[violation('error'), violation('warning', 'R-2')], []]),
    ]
    expect(one(events, 'requirements')).toMatchObject({
      attempts: 2,
      calls: 2,
      tokens: 10_000,
      outcome: 'accepted',
      scores: { compliance: 70, stability: 70, correctness: 100, efficiency: 80, cost: 90 },
    })
  })

  it('scores an agent that gives up 0 on correctness', () => {
    const bad = [violation('error'), violation('error')]
    const events = [start, ...visit('requirements', 1, [bad, bad, bad], { fail: 'violations' })]
    expect(one(events, 'requirements')).toMatchObject({
      outcome: 'failed',
      scores: { correctness: 0, compliance: 50, stability: 40 },
    })
    const spent = [start, ...visit('requirements', 1, [[]], { fail: 'budget' })]
    expect(one(spent, 'requirements')?.scores).toMatchObject({ correctness: 0, efficiency: 0, cost: 0 })
  })

  it.each([
    ['a provider failure', visit('requirements', 1, [[]], { fail: 'provider' })],
    ['a cancellation', visit('requirements', 1, [[]], { fail: 'cancelled' })],
    [
      'a discarded visit',
      [...visit('requirements', 1), { type: 'stage.discarded', stage: 'requirements', visit: 1 }],
    ],
    ['a visit cut short by a crash', visit('requirements', 1).slice(0, 3)],
  ] as [string, ScoredEvent[]][])('does not score %s', (_name, events) => {
    expect(scoreRun([start, ...events], agents).visits).toEqual([])
  })

  it('scores each architecture task, and holds a re-open against all of them', () => {
    const events = [
      ...upstream,
      { type: 'stage.started', stage: 'implementation', agent: 'implementation', visit: 1 },
      ...visit('implementation', 1, [[]], { task: 'T1', started: false }),
      ...visit('implementation', 1, [[violation('error')], []], { task: 'T2', started: false }),
      passed('implementation'),
      failed('review', 1, reopen('implementation', 'review')),
    ] as ScoredEvent[]
    const tasks = scoresOf(events, 'implementation')
    expect(tasks.map((t) => [t.task, t.scores.correctness, t.scores.compliance])).toEqual([
      ['T1', 33.3, 100],
      ['T2', 33.3, 75],
    ])
  })

  it('counts time against the deadline when events carry ts', () => {
    const timed = visit('requirements', 1).map((e, i) => ({
      ...e,
      ts: new Date(Date.UTC(2025, 0, 1, 0, 0, i * 25)).toISOString(),
    }))
    // attempt_started at 25 s, accepted at 75 s: 50 of 100 seconds.
    expect(one([start, ...timed], 'requirements')?.scores.efficiency).toBe(75)
  })
})
