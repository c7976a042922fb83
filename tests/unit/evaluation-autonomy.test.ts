import { describe, expect, it } from 'vitest'
import { compileValidator } from '../../src/core/contracts/ajv.js'
import {
  autonomy,
  autonomyLevel,
  DEFAULT_EVALUATION,
  emptyBook,
  evaluationOf,
  evaluationProblems,
  evaluationSchema,
  trend,
  updateScores,
  weightedAverage,
  type RunScores,
  type ScoreBook,
  type Scores,
} from '../../src/core/evaluation/index.js'
import { HISTORY_LENGTH } from '../../src/core/evaluation/book.js'

const all = (n: number): Scores => ({ correctness: n, efficiency: n, compliance: n, cost: n, stability: n })
const config = DEFAULT_EVALUATION
const run = (id: string, agents: Record<string, Scores>): RunScores => ({ run_id: id, visits: [], agents })

describe('weightedAverage', () => {
  it.each([
    ['equal scores', all(80), config.weights, 80],
    ['weights need not add up to 1', all(50), { ...config.weights, correctness: 10 }, 50],
    [
      'only correctness counts',
      { ...all(0), correctness: 90 },
      { correctness: 1, efficiency: 0, compliance: 0, cost: 0, stability: 0 },
      90,
    ],
    [
      'the default weights',
      { correctness: 100, efficiency: 0, compliance: 0, cost: 0, stability: 0 },
      config.weights,
      35,
    ],
    ['no weight at all', all(80), { correctness: 0, efficiency: 0, compliance: 0, cost: 0, stability: 0 }, 0],
  ])('%s', (_name, scores, weights, expected) => {
    expect(weightedAverage(scores, weights)).toBeCloseTo(expected, 6)
  })
})

describe('autonomy', () => {
  const book: ScoreBook = {
    version: 1,
    runs: ['r1'],
    agents: { reviewer: { scores: all(90), runs: 1, history: [] } },
  }
  it.each([
    ['an agent of the book', 'reviewer', config, 0.9],
    ['an agent with no history: the prior', 'product', config, 0.7],
    ['a prior set in the configuration', 'product', { ...config, prior: 30 }, 0.3],
    ['a base level scales it', 'reviewer', { ...config, base_levels: { reviewer: 0.5 } }, 0.45],
  ])('%s', (_name, agent, settings, expected) => {
    expect(autonomy(agent, book, settings)).toBeCloseTo(expected, 6)
  })

  it.each([
    [0, 'supervised'],
    [0.399, 'supervised'],
    [0.4, 'standard'],
    [0.7, 'standard'],
    [0.85, 'standard'],
    [0.851, 'trusted'],
    [1.2, 'trusted'],
  ] as const)('%f is %s', (value, level) => {
    expect(autonomyLevel(value, config.thresholds)).toBe(level)
  })
})

describe('trend', () => {
  it.each([
    [[], 'flat'],
    [[80], 'flat'],
    [[60, 70], 'up'],
    [[70, 60], 'down'],
    [[70, 71, 70, 72], 'flat'],
    [[40, 50, 60, 70, 80], 'up'],
    [[90, 85, 50, 40], 'down'],
  ] as const)('%j is %s', (history, expected) => {
    expect(trend(history)).toBe(expected)
  })
})

describe('updateScores', () => {
  it('moves each dimension by the smoothing towards the run, starting from the prior', () => {
    const once = updateScores(emptyBook(), run('r1', { reviewer: all(100) }), 'r1', config)
    expect(once.agents.reviewer?.scores).toEqual(all(79)) // 0.3 × 100 + 0.7 × 70
    const twice = updateScores(once, run('r2', { reviewer: all(0) }), 'r2', config)
    expect(twice.agents.reviewer?.scores.correctness).toBeCloseTo(55.3, 6) // 0.7 × 79
    expect(twice.agents.reviewer?.runs).toBe(2)
    expect(twice.agents.reviewer?.history.map((h) => [h.run_id, h.overall])).toEqual([
      ['r1', 100],
      ['r2', 0],
    ])
    expect(twice.runs).toEqual(['r1', 'r2'])
  })

  it('records a run once, and leaves the given book alone', () => {
    const book = updateScores(emptyBook(), run('r1', { reviewer: all(100) }), 'r1', config)
    const copy = structuredClone(book)
    expect(updateScores(book, run('r1', { reviewer: all(0) }), 'r1', config)).toBe(book)
    updateScores(book, run('r2', { reviewer: all(0) }), 'r2', config)
    expect(book).toEqual(copy)
  })

  it('keeps a short history per agent', () => {
    let book = emptyBook()
    for (let i = 0; i < HISTORY_LENGTH + 5; i++) {
      const id = `r${String(i).padStart(3, '0')}`
      book = updateScores(book, run(id, { reviewer: all(i) }), id, config)
    }
    const history = book.agents.reviewer?.history ?? []
    expect(history).toHaveLength(HISTORY_LENGTH)
    expect(history[0]?.run_id).toBe('r005')
    expect(book.agents.reviewer?.runs).toBe(HISTORY_LENGTH + 5)
  })
})

describe('evaluation configuration', () => {
  it('fills in the defaults', () => {
    expect(evaluationOf(undefined)).toEqual(DEFAULT_EVALUATION)
    const custom = evaluationOf({ weights: { cost: 0.5 }, thresholds: { low: 0.2 }, shared: false })
    expect(custom.weights).toEqual({ ...DEFAULT_EVALUATION.weights, cost: 0.5 })
    expect(custom.thresholds).toEqual({ low: 0.2, high: 0.85 })
    expect(custom.shared).toBe(false)
    expect(custom.prior).toBe(70)
  })

  it.each([
    [{ smoothing: 0.5, prior: 60, base_levels: { reviewer: 1.2 } }, true],
    [{ weights: { speed: 1 } }, false],
    [{ smoothing: 0 }, false],
    [{ prior: 101 }, false],
    [{ thresholds: { low: -1 } }, false],
    [{ shared: 'yes' }, false],
  ])('the schema takes %j: %s', (section, ok) => {
    expect(compileValidator(evaluationSchema)(section)).toBe(ok)
  })

  it('reports what the schema cannot say', () => {
    expect(evaluationProblems({ thresholds: { low: 0.9, high: 0.5 } }).map((p) => p.pointer)).toEqual([
      '/evaluation/thresholds',
    ])
    const weights = { correctness: 0, efficiency: 0, compliance: 0, cost: 0, stability: 0 }
    expect(evaluationProblems({ weights }).map((p) => p.pointer)).toEqual(['/evaluation/weights'])
    expect(evaluationProblems(undefined)).toEqual([])
  })
})
