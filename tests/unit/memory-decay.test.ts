import { describe, expect, it } from 'vitest'
import {
  ageHours,
  DEFAULT_MEMORY_POLICY,
  decayedStrength,
  formatAge,
  isAlive,
  lifetimeHours,
  type MemoryEntry,
  type MemoryPolicy,
  parseDuration,
  weigh,
} from '../../src/core/memory/index.js'

const policy = (threshold: number): MemoryPolicy => ({ ...DEFAULT_MEMORY_POLICY, prune: { threshold } })

describe('decay', () => {
  it.each([
    // confidence, hours since reinforced, half-life in hours, strength
    [1, 0, 1, 1],
    [1, 1, 1, 0.5],
    [1, 2, 1, 0.25],
    [1, 3, 1, 0.125],
    [0.8, 24, 24, 0.4],
    [0.8, 48, 24, 0.2],
    [1, 168, 168, 0.5],
    [1, 720 * 2, 720, 0.25],
    [0.5, 0, 24, 0.5],
    [1, -5, 1, 1], // a clock set back counts as no time
  ])('confidence %d after %d h with half-life %d h is %d', (confidence, hours, halfLife, strength) => {
    expect(decayedStrength(confidence, hours, halfLife)).toBe(strength)
  })

  it('weighs an entry under the half-life of its scope', () => {
    const entry: MemoryEntry = {
      id: 'm-00000001',
      scope: 'failure',
      agent: 'implementation',
      content: 'x',
      tags: [],
      confidence: 1,
      created: '2025-01-01T00:00:00.000Z',
      reinforced: '2025-01-02T00:00:00.000Z',
    }
    const cases: [string, number][] = [
      ['2025-01-02T00:00:00.000Z', 1],
      ['2025-01-03T00:00:00.000Z', 0.5],
      ['2025-01-04T00:00:00.000Z', 0.25],
    ]
    for (const [now, strength] of cases) {
      expect(weigh(entry, DEFAULT_MEMORY_POLICY, new Date(now)).strength).toBe(strength)
    }
    expect(
      weigh({ ...entry, scope: 'working' }, DEFAULT_MEMORY_POLICY, new Date(cases[1]![0])).strength,
    ).toBe(2 ** -24)
    expect(ageHours(entry.reinforced, new Date('2025-01-02T03:30:00.000Z'))).toBe(3.5)
  })

  it.each([
    // strength, threshold, alive
    [0.1, 0.1, true],
    [0.0999, 0.1, false],
    [0.25, 0.25, true],
    [0.2499, 0.25, false],
    [0, 0, true],
  ])('strength %d against threshold %d is alive: %s', (strength, threshold, alive) => {
    expect(isAlive(strength, policy(threshold))).toBe(alive)
  })

  it('keeps a note exactly at the threshold after two half-lives and drops it just after', () => {
    const atTwo = decayedStrength(1, 2, 1)
    expect(isAlive(atTwo, policy(0.25))).toBe(true)
    expect(isAlive(decayedStrength(1, 2.001, 1), policy(0.25))).toBe(false)
  })

  it.each([
    [1, 0.5, 1],
    [1, 0.25, 2],
    [24, 0.125, 72],
    [24, 0, Number.POSITIVE_INFINITY],
  ])('a note with half-life %d h lives %d h above threshold %d', (halfLife, threshold, hours) => {
    expect(lifetimeHours(halfLife, threshold)).toBe(hours)
  })
  it('lives about 3.32 half-lives above the default threshold', () => {
    expect(lifetimeHours(1, 0.1)).toBeCloseTo(3.3219, 4)
  })
})

describe('durations and ages', () => {
  it.each([
    ['90m', 1.5],
    ['1h', 1],
    ['7d', 168],
    ['1.5d', 36],
    [' 24h ', 24],
    ['30m', 0.5],
  ])('%j is %d hours', (text, hours) => {
    expect(parseDuration(text)).toBe(hours)
  })

  it.each(['0h', '1w', '7 days', 'h', '-1h', '', '24'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it.each([
    [0, 'just now'],
    [0.5, '30 min ago'],
    [3.2, '3 h ago'],
    [47.9, '47 h ago'],
    [72, '3 d ago'],
  ])('%d hours reads %j', (hours, text) => {
    expect(formatAge(hours)).toBe(text)
  })
})
