import { describe, expect, it } from 'vitest'
import { type AcquireResult, LeaseTable, type LeaseTask } from '../../src/core/changeset/leases.js'

/** A table on a clock the test moves, recording wounds. */
function table(maxRetryMs = 1000) {
  const clock = { now: 0 }
  const wounds: [string, string][] = []
  const leases = new LeaseTable({
    now: () => clock.now,
    onWound: (task, by) => wounds.push([task, by]),
    maxRetryMs,
  })
  return { leases, clock, wounds }
}

const old: LeaseTask = { id: 'api', startedAt: 100 }
const young: LeaseTask = { id: 'ui', startedAt: 200 }
const TTL = 10_000

describe('LeaseTable', () => {
  it.each<[string, string[], string[], AcquireResult | 'ok']>([
    ['disjoint paths', ['src/api.ts'], ['src/ui.ts'], 'ok'],
    ['the same file', ['src/a.ts'], ['src/a.ts'], { ok: false, holder: 'api', retryAfterMs: 1000 }],
    ['a file in a leased directory', ['src'], ['src/a.ts'], { ok: false, holder: 'api', retryAfterMs: 1000 }],
    [
      'a directory holding a leased file',
      ['src/a.ts'],
      ['src/'],
      { ok: false, holder: 'api', retryAfterMs: 1000 },
    ],
    ['another letter case', ['src/A.ts'], ['./SRC/a.ts'], { ok: false, holder: 'api', retryAfterMs: 1000 }],
    ['a sibling with a common prefix', ['src/a'], ['src/ab.ts'], 'ok'],
  ])('a younger task asking for %s', (_, held, asked, expected) => {
    const { leases } = table()
    expect(leases.acquire(old, held, TTL)).toEqual({ ok: true })
    expect(leases.acquire(young, asked, TTL)).toEqual(expected === 'ok' ? { ok: true } : expected)
  })

  it('lets an older task wound a younger holder', () => {
    const { leases, wounds } = table()
    leases.acquire(young, ['src/shared.ts', 'src/ui.ts'], TTL)
    expect(leases.acquire(old, ['src/shared.ts'], TTL)).toEqual({ ok: true })
    expect(wounds).toEqual([['ui', 'api']])
    expect(leases.wounded('ui')).toBe('api')
    expect(leases.held('ui')).toEqual([])
    expect(leases.holderOf('src/ui.ts')).toBeUndefined()
    expect(leases.renew('ui')).toBe(false)
    expect(leases.holderOf('src/shared.ts')).toBe('api')
  })

  it('makes a younger task wait, suggesting when to retry', () => {
    const { leases, clock } = table(5000)
    leases.acquire(old, ['src/shared.ts'], 3000)
    clock.now = 1000
    expect(leases.acquire(young, ['src/shared.ts'], TTL)).toEqual({
      ok: false,
      holder: 'api',
      retryAfterMs: 2000,
    })
    expect(leases.wounded('api')).toBeUndefined()
  })

  it('breaks ties in start time by id', () => {
    const { leases } = table()
    leases.acquire({ id: 'b', startedAt: 1 }, ['x'], TTL)
    expect(leases.acquire({ id: 'a', startedAt: 1 }, ['x'], TTL)).toEqual({ ok: true })
    expect(leases.wounded('b')).toBe('a')
  })

  it('gives all paths or none', () => {
    const { leases } = table()
    leases.acquire(old, ['src/b.ts'], TTL)
    expect(leases.acquire(young, ['src/a.ts', 'src/b.ts', 'src/c.ts'], TTL)).toMatchObject({ ok: false })
    expect(leases.holderOf('src/a.ts')).toBeUndefined()
    expect(leases.holderOf('src/c.ts')).toBeUndefined()
  })

  it('wounds no one while the requester has to wait for an older holder anyway', () => {
    const { leases, wounds } = table()
    const oldest = { id: 'core', startedAt: 1 }
    leases.acquire(oldest, ['src/core.ts'], TTL)
    leases.acquire(young, ['src/ui.ts'], TTL)
    expect(leases.acquire(old, ['src/core.ts', 'src/ui.ts'], TTL)).toMatchObject({
      ok: false,
      holder: 'core',
    })
    expect(wounds).toEqual([])
    expect(leases.holderOf('src/ui.ts')).toBe('ui')
  })

  it('lets leases expire unless renewed', () => {
    const { leases, clock } = table()
    leases.acquire(old, ['src/a.ts'], 1000)
    leases.acquire(young, ['src/b.ts'], 1000)
    clock.now = 900
    expect(leases.renew('ui')).toBe(true)
    clock.now = 1000
    expect(leases.holderOf('src/a.ts')).toBeUndefined()
    expect(leases.renew('api')).toBe(false)
    expect(leases.acquire({ id: 'late', startedAt: 300 }, ['src/a.ts'], TTL)).toEqual({ ok: true })
    expect(leases.holderOf('src/b.ts')).toBe('ui')
    clock.now = 1900
    expect(leases.holderOf('src/b.ts')).toBeUndefined()
  })

  it('frees paths on release and forgets a wound', () => {
    const { leases } = table()
    leases.acquire(young, ['src/a.ts'], TTL)
    leases.acquire(old, ['src/a.ts'], TTL)
    leases.release('ui')
    expect(leases.wounded('ui')).toBeUndefined()
    leases.release('api')
    expect(leases.acquire(young, ['src/a.ts'], TTL)).toEqual({ ok: true })
  })

  it('adds to what a task holds when it asks again, without conflicting with itself', () => {
    const { leases } = table()
    leases.acquire(old, ['src/a.ts'], TTL)
    expect(leases.acquire(old, ['src/a.ts', 'src/b.ts'], TTL)).toEqual({ ok: true })
    expect(leases.held('api')).toEqual(['src/a.ts', 'src/b.ts'])
  })

  it('does not wound a task that is applying its effects; the older task waits', () => {
    const { leases, wounds } = table()
    leases.acquire(young, ['src/a.ts'], TTL)
    expect(leases.beginCommit('ui')).toBe(true)
    expect(leases.acquire(old, ['src/a.ts'], TTL)).toMatchObject({ ok: false, holder: 'ui' })
    expect(wounds).toEqual([])
    leases.release('ui')
    expect(leases.acquire(old, ['src/a.ts'], TTL)).toEqual({ ok: true })
    expect(leases.beginCommit('ui')).toBe(false)
  })

  it('refuses a TTL that is not positive', () => {
    expect(() => table().leases.acquire(old, ['a'], 0)).toThrow(/positive TTL/)
  })

  it('settles a cycle of tasks each wanting what the next holds, without deadlock', () => {
    const { leases, clock, wounds } = table()
    const tasks = [
      { task: { id: 't1', startedAt: 1 }, own: 'a', wants: ['a', 'b'] },
      { task: { id: 't2', startedAt: 2 }, own: 'b', wants: ['b', 'c'] },
      { task: { id: 't3', startedAt: 3 }, own: 'c', wants: ['c', 'a'] },
    ]
    for (const { task, own } of tasks) expect(leases.acquire(task, [own], TTL)).toEqual({ ok: true })
    const done: string[] = []
    // Youngest first, so that waits happen: t3 waits for t1, t2 wounds t3, and so on. Each round every
    // unfinished task asks for its whole set; one that gets it finishes and releases.
    for (let round = 0; round < 10 && done.length < tasks.length; round++) {
      for (const { task, wants } of [...tasks].reverse()) {
        if (done.includes(task.id)) continue
        if (leases.acquire(task, wants, TTL).ok) {
          done.push(task.id)
          leases.release(task.id)
        }
      }
      clock.now += 100
    }
    expect(done).toEqual(['t2', 't1', 't3'])
    expect(wounds).toEqual([['t3', 't2']])
  })
})
