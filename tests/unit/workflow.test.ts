import { describe, expect, it } from 'vitest'
import { chooseArbiter } from '../../src/core/run/arbiter.js'
import { gatePolicy } from '../../src/core/run/gate-policy.js'
import { mayReopen } from '../../src/core/run/routing.js'
import { foldEvents } from '../../src/core/run/state.js'
import { checkWorkflow, downstream } from '../../src/core/workflow/check.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import type { StageSpec, Workflow } from '../../src/core/workflow/types.js'

const AGENTS = new Set([
  'product',
  'architect',
  'implementation',
  'infra',
  'reviewer',
  'buildtest',
  'integrator',
])

function flow(...stages: [string, string[], Partial<StageSpec>?][]): Workflow {
  return {
    concurrency: 2,
    stages: stages.map(([id, depends_on, extra]) => ({
      id,
      agent: 'architect',
      contract: id,
      depends_on,
      ...extra,
    })),
  }
}

describe('checkWorkflow', () => {
  it('accepts the default workflow', () => {
    expect(checkWorkflow(DEFAULT_WORKFLOW, AGENTS)).toEqual([])
  })

  it.each([
    [
      'an unknown agent',
      { ...flow(['a', []]), stages: [{ id: 'a', agent: 'ghost', contract: 'a', depends_on: [] }] },
      '/stages/0/agent',
      /unknown agent 'ghost'/,
    ],
    [
      'a missing dependency',
      flow(['a', []], ['b', ['nope']]),
      '/stages/1/depends_on/0',
      /depends on 'nope', which is not a stage/,
    ],
    [
      'a cycle',
      flow(['a', []], ['b', ['c']], ['c', ['b']]),
      '/stages/1/depends_on',
      /'b' is part of a dependency cycle/,
    ],
    ['a self-dependency', flow(['a', ['a']]), '/stages/0/depends_on', /'a' is part of a dependency cycle/],
    [
      'a stage behind a cycle',
      flow(['a', []], ['b', ['c']], ['c', ['b']], ['d', ['c']]),
      '/stages/3/depends_on',
      /'d' is unreachable: it waits for 'c'/,
    ],
    [
      'a stage behind a missing one',
      flow(['b', ['x']], ['d', ['b']]),
      '/stages/1/depends_on',
      /'d' is unreachable: it waits for 'b'/,
    ],
    [
      'a route that is not upstream',
      flow(['a', []], ['b', ['a']], ['c', ['a'], { on_failure: { reopen: 'b', budget: 3 } }]),
      '/stages/2/on_failure/reopen',
      /re-opens 'b', which is not upstream/,
    ],
    ['a duplicate stage', flow(['a', []], ['a', []]), '/stages/1/id', /defined twice/],
  ])('reports %s', (_, workflow, pointer, message) => {
    const problems = checkWorkflow(workflow, AGENTS)
    expect(problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer, message: expect.stringMatching(message) })]),
    )
  })

  it('knows what depends on a stage', () => {
    expect([...downstream(DEFAULT_WORKFLOW, 'implementation')].sort()).toEqual([
      'build_test',
      'final_approval',
      'integration',
      'review',
    ])
  })
})

describe('mayReopen', () => {
  it('is true only where a failure route or a contract that raises conflicts can re-open a stage', () => {
    expect(mayReopen(DEFAULT_WORKFLOW)).toBe(true)
    expect(mayReopen(flow(['a', []], ['b', ['a']]))).toBe(false)
    expect(mayReopen(flow(['a', []], ['b', ['a'], { on_failure: { reopen: 'a', budget: 1 } }]))).toBe(true)
    for (const contract of ['architecture', 'review', 'integration'])
      expect(mayReopen(flow(['a', []], ['b', ['a'], { contract }])), contract).toBe(true)
  })
})

describe('chooseArbiter', () => {
  const ranked = [
    { id: 'architect', authority: 10 },
    { id: 'product', authority: 9 },
    { id: 'buildtest', authority: 8 },
    { id: 'integrator', authority: 8 },
    { id: 'reviewer', authority: 7 },
    { id: 'infra', authority: 6 },
    { id: 'implementation', authority: 5 },
  ]
  it.each([
    [['reviewer', 'implementation'], { agent: 'architect', authority: 10 }],
    [['buildtest', 'implementation'], { agent: 'architect', authority: 10 }],
    [['architect', 'implementation'], 'human'],
    [['product', 'architect'], 'human'],
    [['product', 'buildtest'], { agent: 'architect', authority: 10 }],
    [['architect', 'reviewer'], 'human'],
  ])('%j goes to %j', (involved, arbiter) => {
    expect(chooseArbiter(ranked, involved)).toEqual(arbiter)
  })

  it('goes past an uninvolved agent that does not outrank everyone', () => {
    expect(
      chooseArbiter(
        ranked.filter((a) => a.id !== 'architect'),
        ['buildtest', 'implementation'],
      ),
    ).toEqual({ agent: 'product', authority: 9 })
    expect(
      chooseArbiter(
        ranked.filter((a) => a.id !== 'architect'),
        ['product', 'reviewer'],
      ),
    ).toBe('human')
  })
})

describe('gatePolicy', () => {
  it.each([
    [false, 'ask', 'approve'],
    [false, 'reject', 'approve'],
    [true, 'ask', 'ask'],
    [true, 'auto', 'approve'],
    [true, 'reject', 'reject'],
  ] as const)('requires_approval %s with --approve %s: %s', (requires_approval, mode, decision) => {
    expect(gatePolicy({ requires_approval }, mode)).toBe(decision)
  })
})

describe('the run state', () => {
  const started = {
    type: 'run.started' as const,
    run_id: 'r-1',
    requirement: 'x',
    root: '/tmp',
    workflow: DEFAULT_WORKFLOW,
    options: { provider: 'scripted', script: undefined, approve: 'ask' as const },
  }

  it('re-opening a stage resets it and everything after it, keeping what is upstream or parallel', () => {
    const passed = (stage: string) => ({
      type: 'stage.passed' as const,
      stage,
      agent: 'a',
      visit: 1,
      output: {},
    })
    const state = foldEvents([
      started,
      ...['requirements', 'architecture', 'implementation', 'infra', 'build_test'].map(passed),
      {
        type: 'stage.failed',
        stage: 'review',
        agent: 'reviewer',
        visit: 1,
        reason: 'verdict',
        message: 'changes requested',
        output: { verdict: 'request_changes' },
        next: {
          kind: 'reopen',
          stage: 'implementation',
          from: 'review',
          loop: 1,
          budget: 3,
          context: { source_stage: 'review', summary: 's', attempt: 1 },
        },
      },
    ])
    const statuses = Object.fromEntries(Object.entries(state.stages).map(([id, s]) => [id, s.status]))
    expect(statuses).toEqual({
      requirements: 'passed',
      architecture: 'passed',
      implementation: 'pending',
      infra: 'passed',
      review: 'pending',
      build_test: 'pending',
      integration: 'pending',
      final_approval: 'pending',
    })
    expect(state.loops).toEqual({ review: 1 })
    expect(state.contexts.implementation).toMatchObject({ source_stage: 'review' })
  })

  it('a stage in flight when the process stopped is pending again after run.resumed', () => {
    const state = foldEvents([
      started,
      { type: 'stage.started', stage: 'requirements', agent: 'product', visit: 1 },
      { type: 'run.resumed', run_id: 'r-1' },
    ])
    expect(state.stages.requirements).toEqual({ status: 'pending', visit: 1 })
  })
})
