import { describe, expect, it } from 'vitest'
import {
  complianceScore,
  correctnessScore,
  costScore,
  efficiencyScore,
  stabilityScore,
} from '../../src/core/evaluation/score.js'
import { EVIDENCE } from '../../src/core/evaluation/visits.js'

const budgets = { tokens_per_run: 100_000, calls_per_stage: 5, seconds_per_call: 100, max_repairs: 2 }
const E = EVIDENCE

describe('correctness', () => {
  it.each([
    [
      'accepted, passed, every judge passed',
      { for: E.accepted + E.passed + 3 * E.judge_passed, against: 0 },
      false,
      100,
    ],
    ['accepted and nothing else known', { for: E.accepted, against: 0 }, false, 100],
    ['passed, then re-opened by a judge', { for: E.accepted + E.passed, against: E.reopened }, false, 33.3],
    ['rejected at a gate by a person', { for: E.accepted, against: E.gate_rejected }, false, 14.3],
    [
      'approved at a gate, later re-opened',
      { for: E.accepted + E.passed + E.gate_approved, against: E.reopened },
      false,
      50,
    ],
    ['ruled against in an escalation', { for: E.accepted + E.passed, against: E.ruled_against }, false, 33.3],
    ['gave up (violations or budget)', { for: 0, against: 0 }, true, 0],
    ['gave up whatever the evidence', { for: 5, against: 0 }, true, 0],
  ])('%s', (_name, evidence, failed, expected) => {
    expect(correctnessScore(evidence, failed)).toBeCloseTo(expected, 1)
  })
})

describe('efficiency', () => {
  it.each([
    ['one call, time unknown', 1, undefined, false, 100],
    ['one call, instant', 1, 0, false, 100],
    ['one call using half its deadline', 1, 50, false, 75],
    ['three calls of five, instant', 3, 0, false, 80],
    ['three calls of five, time unknown', 3, undefined, false, 60],
    ['six calls: past the budget', 6, undefined, false, 0],
    ['calls over their whole deadline', 2, 200, false, 40],
    ['a visit that gave up', 1, 0, true, 0],
  ])('%s', (_name, calls, seconds, spent, expected) => {
    expect(efficiencyScore(calls, seconds, budgets, spent)).toBeCloseTo(expected, 5)
  })
})

describe('compliance', () => {
  it.each([
    [0, 0, 100],
    [0, 1, 95],
    [1, 0, 75],
    [2, 2, 40],
    [4, 0, 0],
    [10, 10, 0],
  ])('%i errors and %i warnings in the first answer: %i', (errors, warnings, expected) => {
    expect(complianceScore(errors, warnings)).toBe(expected)
  })
})

describe('cost', () => {
  it.each([
    [0, false, 100],
    [10_000, false, 90],
    [100_000, false, 0],
    [250_000, false, 0],
    [1_000, true, 0],
  ])('%i tokens (gave up: %s): %i', (tokens, spent, expected) => {
    expect(costScore(tokens, budgets, spent)).toBe(expected)
  })
})

describe('stability', () => {
  it.each([
    [0, 0, budgets, 100],
    [1, 0, budgets, 70],
    [2, 0, budgets, 40],
    [0, 1, budgets, 60],
    [1, 1, budgets, 30],
    [2, 2, budgets, 0],
    [1, 0, { max_repairs: 0 }, 40],
  ])('%i repairs and %i reversals: %i', (repairs, reversals, b, expected) => {
    expect(stabilityScore(repairs, reversals, b)).toBe(expected)
  })
})
