import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MEMORY_POLICY, type NewMemoryEntry, openMemory } from '../../src/core/memory/index.js'
import { tempDir } from '../helpers/temp.js'

const T0 = new Date('2025-03-01T12:00:00.000Z')
const hoursLater = (h: number) => new Date(T0.getTime() + h * 3_600_000)
const note = (extra: Partial<NewMemoryEntry> = {}): NewMemoryEntry => ({
  scope: 'project',
  agent: 'all',
  content: 'the API lives in src/api',
  confidence: 1,
  ...extra,
})

async function lines(root: string, scope: string): Promise<string[]> {
  return (await readFile(join(root, 'memory', `${scope}.jsonl`), 'utf8')).split('\n').filter((l) => l !== '')
}

describe('the memory store', () => {
  it('writes a note to its scope file and finds it again after reopening', async () => {
    const root = await tempDir()
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    const entry = await store.add(
      note({ tags: ['api', ' api ', ''], source: { run: 'r1', stage: 'review' } }),
      T0,
    )
    expect(entry).toEqual({
      id: expect.stringMatching(/^m-[0-9a-f]{8}$/),
      scope: 'project',
      agent: 'all',
      content: 'the API lives in src/api',
      tags: ['api'],
      confidence: 1,
      created: T0.toISOString(),
      reinforced: T0.toISOString(),
      source: { run: 'r1', stage: 'review' },
    })
    expect(await lines(root, 'project')).toEqual([JSON.stringify(entry)])
    const again = await openMemory(root, DEFAULT_MEMORY_POLICY)
    expect(again.list({ now: T0 }).map((w) => w.entry)).toEqual([entry])
  })

  it('reinforces a note written again instead of keeping two', async () => {
    const root = await tempDir()
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    const first = await store.add(note({ confidence: 0.6, tags: ['a'] }), T0)
    const second = await store.add(
      note({ content: ' the API  lives in\nsrc/api ', tags: ['b'] }),
      hoursLater(5),
    )
    expect(second).toMatchObject({ id: first.id, confidence: 1, tags: ['a', 'b'], created: first.created })
    expect(second.reinforced).toBe(hoursLater(5).toISOString())
    const third = await store.add(note({ confidence: 0.5 }), hoursLater(6))
    expect(third.confidence).toBe(1)
    const other = await store.add(note({ agent: 'reviewer' }), hoursLater(6))
    expect(other.id).not.toBe(first.id)
    expect(store.size).toBe(2)
    const reopened = await openMemory(root, DEFAULT_MEMORY_POLICY)
    expect(reopened.list({ agent: 'all' }).map((w) => w.entry)).toEqual([third])
  })

  it.each([
    // confidence, reinforcements, confidence after
    [0.5, 1, 0.6],
    [0.5, 3, 0.8],
    [0.95, 1, 1],
    [1, 2, 1],
  ])(
    'reinforcing a note of confidence %d %d times makes it %d and restarts its decay',
    async (c, times, after) => {
      const root = await tempDir()
      const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
      const entry = await store.add(note({ scope: 'failure', confidence: c }), T0)
      for (let i = 1; i <= times; i++) await store.reinforce([entry.id, 'm-unknown0'], hoursLater(10 * i))
      const at = hoursLater(10 * times)
      const [weighed] = (await openMemory(root, DEFAULT_MEMORY_POLICY)).list({ now: at })
      expect(weighed?.entry.confidence).toBe(after)
      expect(weighed?.entry.reinforced).toBe(at.toISOString())
      expect(weighed?.strength).toBe(after)
    },
  )

  it('does not write a reinforcement that changes next to nothing: full confidence, within a hundredth of the half-life', async () => {
    const root = await tempDir()
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    // The failure scope's half-life is 24 hours: a hundredth of it is 14.4 minutes.
    const entry = await store.add(note({ scope: 'failure', confidence: 1 }), T0)
    const minutes = (m: number) => new Date(T0.getTime() + m * 60_000)
    expect(await store.reinforce([entry.id], minutes(1))).toEqual([])
    expect(await store.reinforce([entry.id], minutes(14))).toEqual([])
    expect(await lines(root, 'failure')).toHaveLength(1)
    const [later] = await store.reinforce([entry.id], minutes(15))
    expect(later?.reinforced).toBe(minutes(15).toISOString())
    expect(await lines(root, 'failure')).toHaveLength(2)
    // Below full confidence, every reinforcement counts: the confidence goes up a step.
    const weaker = await store.add(note({ scope: 'failure', content: 'a weaker note', confidence: 0.5 }), T0)
    expect((await store.reinforce([weaker.id], minutes(1)))[0]?.confidence).toBe(0.6)
  })

  it('prunes the notes below the threshold, at its boundary, and rewrites the files compactly', async () => {
    const root = await tempDir()
    const policy = { ...DEFAULT_MEMORY_POLICY, prune: { threshold: 0.25 } }
    const store = await openMemory(root, policy)
    const cases: [Partial<NewMemoryEntry>, boolean][] = [
      [{ scope: 'working', content: 'two half-lives: exactly at 0.25' }, true],
      [{ scope: 'working', content: 'just under', confidence: 0.99 }, false],
      [{ scope: 'failure', content: 'a day old failure' }, true],
      [{ scope: 'project', content: 'weak from the start', confidence: 0.2 }, false],
      [{ scope: 'skill', content: 'a skill', confidence: 0.9 }, true],
    ]
    const added = []
    for (const [extra] of cases) added.push(await store.add(note(extra), T0))
    await store.reinforce([added[4]!.id], T0)
    const dry = await store.prune(hoursLater(2), { dryRun: true })
    expect(dry).toEqual({ removed: 2, kept: 3, skipped: 0 })
    expect(await lines(root, 'skill')).toHaveLength(2)
    const result = await store.prune(hoursLater(2))
    expect(result).toEqual({ removed: 2, kept: 3, skipped: 0 })
    const kept = cases.flatMap(([extra, alive]) => (alive ? [extra.content] : []))
    expect(
      store
        .list({ now: hoursLater(2) })
        .map((w) => w.entry.content)
        .sort(),
    ).toEqual(kept.sort())
    expect(await lines(root, 'skill')).toHaveLength(1)
    expect(await lines(root, 'project')).toHaveLength(0)
    expect(await lines(root, 'working')).toHaveLength(1)
    expect(await store.prune(hoursLater(2))).toEqual({ removed: 0, kept: 3, skipped: 0 })
  })

  it('keeps the shared scopes under a separate root when opened with one', async () => {
    const [root, worktree] = [await tempDir(), await tempDir()]
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY, { sharedRoot: worktree })
    await store.add(note({ scope: 'project', content: 'committed with the run' }), T0)
    await store.add(note({ scope: 'failure', content: 'stays on this machine' }), T0)
    expect(await lines(worktree, 'project')).toHaveLength(1)
    expect(await lines(root, 'failure')).toHaveLength(1)
    expect(existsSync(join(root, 'memory/project.jsonl'))).toBe(false)
    expect(existsSync(join(worktree, 'memory/failure.jsonl'))).toBe(false)
    const reopened = await openMemory(root, DEFAULT_MEMORY_POLICY, { sharedRoot: worktree })
    expect(reopened.size).toBe(2)
    expect((await openMemory(root, DEFAULT_MEMORY_POLICY)).size).toBe(1)
  })

  it('lists by scope and agent, strongest first', async () => {
    const store = await openMemory(await tempDir(), DEFAULT_MEMORY_POLICY)
    await store.add(note({ content: 'older', scope: 'failure', agent: 'implementation' }), T0)
    await store.add(note({ content: 'newer', scope: 'failure', agent: 'implementation' }), hoursLater(1))
    await store.add(note({ content: 'someone else', scope: 'failure', agent: 'reviewer' }), hoursLater(1))
    await store.add(note({ content: 'a project fact', agent: 'implementation' }), T0)
    const got = store.list({ scope: 'failure', agent: 'implementation', now: hoursLater(2) })
    expect(got.map((w) => w.entry.content)).toEqual(['newer', 'older'])
    expect(got.map((w) => w.age_hours)).toEqual([1, 2])
  })

  it.each([
    [{ scope: 'skils' }, 'MEMORY_SCOPE_UNKNOWN', "Did you mean 'skill'?"],
    [{ confidence: 1.5 }, 'MEMORY_CONFIDENCE_INVALID', 'from 0 to 1'],
    [{ confidence: Number.NaN }, 'MEMORY_CONFIDENCE_INVALID', 'from 0 to 1'],
    [{ content: '  ' }, 'MEMORY_CONTENT_EMPTY', 'Write what to remember'],
    [{ agent: 'two words' }, 'MEMORY_AGENT_INVALID', "'all' for every agent"],
  ])('refuses %j with %s', async (extra, code, hint) => {
    const store = await openMemory(await tempDir(), DEFAULT_MEMORY_POLICY)
    const error = await store.add(note(extra as Partial<NewMemoryEntry>)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code, kind: 'user' })
    expect((error as { hint: string }).hint).toContain(hint)
    expect(store.size).toBe(0)
  })
})
