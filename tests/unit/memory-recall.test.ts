import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MEMORY_POLICY,
  type MemoryPolicy,
  type NewMemoryEntry,
  openMemory,
  relevance,
  renderMemory,
  renderMemoryEntry,
  taskTerms,
  wordsOf,
} from '../../src/core/memory/index.js'
import { estimateTokens } from '../../src/core/repo/tokens.js'
import { tempDir } from '../helpers/temp.js'

const T0 = new Date('2025-03-01T12:00:00.000Z')
const hoursLater = (h: number) => new Date(T0.getTime() + h * 3_600_000)

async function storeWith(
  notes: (Partial<NewMemoryEntry> & { at?: number })[],
  policy = DEFAULT_MEMORY_POLICY,
) {
  const store = await openMemory(await tempDir(), policy)
  for (const { at = 0, ...note } of notes) {
    await store.add({ scope: 'project', agent: 'all', content: 'x', confidence: 1, ...note }, hoursLater(at))
  }
  return store
}

describe('relevance', () => {
  it('keeps distinct words of three letters or more, in lower case, without common words', () => {
    expect(wordsOf('The Login endpoint: add rate-limiting to LOGIN, and the CI.')).toEqual([
      'login',
      'endpoint',
      'add',
      'rate',
      'limiting',
    ])
  })

  it.each([
    // note words, note tags, task text, task tags, relevance
    ['', '', 'anything at all', '', 0.2],
    ['unrelated words here', '', 'login rate limiting', '', 0.2],
    ['login rate limiting', '', 'add rate limiting to login', '', 0.5],
    ['login uses bcrypt', '', 'login form', '', 0.35],
    ['', 'auth', 'fix login', 'auth', 0.7],
    ['', 'login', 'fix login', '', 0.7],
    ['', 'auth,db', 'fix login', 'auth', 0.45],
    ['login limits', 'auth', 'login limits', 'auth', 1],
  ])('note %j tagged %j against %j tagged %j is %d', (words, tags, text, taskTags, expected) => {
    const split = (s: string) => (s === '' ? [] : s.split(','))
    const value = relevance(wordsOf(words), split(tags), taskTerms(text, split(taskTags)))
    expect(value).toBeCloseTo(expected, 10)
  })
})

describe('recall', () => {
  it("returns an agent's own notes and those for all agents, never another agent's", async () => {
    const store = await storeWith([
      { agent: 'implementation', content: 'own note' },
      { agent: 'all', content: 'shared note' },
      { agent: 'reviewer', content: 'reviewer note' },
    ])
    const got = store.recall({ agent: 'implementation', text: 'anything', now: T0 })
    expect(got.map((r) => r.entry.content).sort()).toEqual(['own note', 'shared note'])
    expect(store.recall({ agent: 'all', text: '', now: T0 }).map((r) => r.entry.content)).toEqual([
      'shared note',
    ])
  })

  it('ranks by strength × relevance and gives each note its strength and age', async () => {
    const store = await storeWith([
      { content: 'the build uses pnpm workspaces', at: 0 },
      { content: 'login handlers live in src/auth', tags: ['auth'], at: 0 },
      { scope: 'failure', agent: 'implementation', content: 'forgot to export the new type', at: 11 },
      { scope: 'failure', agent: 'implementation', content: 'old login failure', at: -70 },
    ])
    const got = store.recall({
      agent: 'implementation',
      text: 'Rate limit the login endpoint',
      now: hoursLater(12),
    })
    expect(got.map((r) => r.entry.content)).toEqual([
      'login handlers live in src/auth',
      'forgot to export the new type',
      'the build uses pnpm workspaces',
    ])
    const failure = got[1]!
    expect(failure.age_hours).toBe(1)
    expect(failure.strength).toBeCloseTo(2 ** (-1 / 24), 12)
    expect(failure.score).toBeCloseTo(failure.strength * 0.2, 12)
  })

  it('recalls a strong recent failure that shares nothing with the task over faded relevant notes', async () => {
    const store = await storeWith([
      { content: 'login rate limiting notes', confidence: 0.15 },
      { scope: 'failure', agent: 'implementation', content: 'tests must not hit the network' },
    ])
    const got = store.recall({ agent: 'implementation', text: 'login rate limiting', now: T0, entries: 1 })
    expect(got.map((r) => r.entry.scope)).toEqual(['failure'])
  })

  it('ranks the same text asked again with other tags by those tags', async () => {
    const store = await storeWith([
      { content: 'handlers live in src/auth', tags: ['auth'] },
      { content: 'queries live in src/db', tags: ['db'] },
    ])
    const first = (tags: string[]) =>
      store.recall({ agent: 'all', text: 'where things live', tags, now: T0 })[0]?.entry.content
    expect(first(['auth'])).toBe('handlers live in src/auth')
    expect(first(['db'])).toBe('queries live in src/db')
    expect(first(['auth'])).toBe('handlers live in src/auth')
  })

  it('leaves out notes below the prune threshold', async () => {
    const store = await storeWith([{ scope: 'working', content: 'scratch' }])
    expect(store.recall({ agent: 'all', text: '', now: hoursLater(3.3) })).toHaveLength(1)
    expect(store.recall({ agent: 'all', text: '', now: hoursLater(3.4) })).toHaveLength(0)
  })

  it.each([
    // entries, tokens, expected count
    [8, 1200, 6],
    [2, 1200, 2],
    [8, 36, 2],
    [8, 17, 1],
    [8, 5, 0],
  ])('with %d entries and %d tokens recalls %d notes', async (entries, tokens, count) => {
    const notes = Array.from({ length: 6 }, (_, i) => ({ content: `note number ${i} about things`, at: i }))
    const store = await storeWith(notes)
    const got = store.recall({ agent: 'all', text: '', now: hoursLater(6), entries, tokens })
    expect(got).toHaveLength(count)
    expect(estimateTokens(`${renderMemory(got)}\n`)).toBeLessThanOrEqual(tokens)
  })

  it('passes over a note too long for the tokens left, for shorter ones after it', async () => {
    const store = await storeWith([
      { content: `long ${'word '.repeat(200)}`, confidence: 1 },
      { content: 'short one', confidence: 0.9 },
    ])
    const got = store.recall({ agent: 'all', text: '', now: T0, tokens: 40 })
    expect(got.map((r) => r.entry.content)).toEqual(['short one'])
  })

  it('finds a short note ranked below many long ones that do not fit', async () => {
    const long = Array.from({ length: 60 }, (_, i) => ({ content: `long ${i} ${'word '.repeat(100)}` }))
    const store = await storeWith([...long, { content: 'short one', confidence: 0.3 }])
    const got = store.recall({ agent: 'all', text: '', now: T0, tokens: 40 })
    expect(got.map((r) => r.entry.content)).toEqual(['short one'])
  })

  it('agrees with ranking every note by strength × relevance', async () => {
    let seed = 3
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const words = ['login', 'rate', 'limit', 'cache', 'schema', 'build', 'deploy', 'token', 'retry', 'queue']
    const phrase = (n: number) => Array.from({ length: n }, () => words[Math.floor(next() * 10)]).join(' ')
    const scopes = ['working', 'project', 'skill', 'failure'] as const
    const notes = Array.from({ length: 400 }, (_, i) => ({
      scope: scopes[i % 4],
      agent: i % 3 === 0 ? 'all' : i % 3 === 1 ? 'implementation' : 'reviewer',
      content: `${i} ${phrase(3 + Math.floor(next() * 6))}`,
      tags: [words[Math.floor(next() * 10)]!],
      confidence: 0.2 + next() * 0.8,
      at: -next() * 100,
    }))
    const store = await storeWith(notes)
    const task = { agent: 'implementation', text: phrase(5), tags: ['cache'], now: T0 }
    const expected = store
      .list({ now: T0 })
      .filter((w) => w.entry.agent !== 'reviewer' && w.strength >= 0.1)
      .map((w) => ({
        ...w,
        score:
          w.strength * relevance(wordsOf(w.entry.content), w.entry.tags, taskTerms(task.text, task.tags)),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 8)
    expect(store.recall(task).map((r) => r.entry.id)).toEqual(expected.map((w) => w.entry.id))
  })

  it("uses the policy's budget, and an agent's own budget where the policy has one", async () => {
    const policy: MemoryPolicy = {
      ...DEFAULT_MEMORY_POLICY,
      retrieval: {
        per_agent: { entries: 2, tokens: 1200 },
        agents: { reviewer: { entries: 3, tokens: 1200 } },
      },
    }
    const store = await storeWith(
      Array.from({ length: 5 }, (_, i) => ({ content: `fact ${i}` })),
      policy,
    )
    expect(store.recall({ agent: 'implementation', text: '', now: T0 })).toHaveLength(2)
    expect(store.recall({ agent: 'reviewer', text: '', now: T0 })).toHaveLength(3)
  })

  it('renders each note with scope, age, strength and content', async () => {
    const store = await storeWith([{ scope: 'failure', content: 'ran\n  the wrong   test', confidence: 0.9 }])
    const got = store.recall({ agent: 'all', text: '', now: hoursLater(3) })
    expect(renderMemoryEntry(got[0]!)).toBe('[failure, 3 h ago, strength 0.83] ran the wrong test')
    expect(renderMemory(got)).toBe('- [failure, 3 h ago, strength 0.83] ran the wrong test')
    expect(renderMemory([])).toBe('')
  })
})
