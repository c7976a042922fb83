import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  DEFAULT_MEMORY_POLICY,
  lifetimeHours,
  MEMORY_SCOPES,
  type MemoryEntry,
  type MemoryScope,
  openMemory,
} from '../../src/core/memory/index.js'

const AGENTS = [
  'architect',
  'product',
  'buildtest',
  'integrator',
  'reviewer',
  'infra',
  'implementation',
  'all',
]
const TAGS = ['auth', 'api', 'db', 'tests', 'ci', 'build', 'lint', 'types', 'perf', 'security', 'docs', 'ui']
const HOUR_MS = 3_600_000

/** A small deterministic random source, so every run of the benchmark sees the same notes. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A vocabulary of 3,000 made-up words, and a sentence of 8 to 24 of them. */
function sentences(next: () => number): () => string {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tos', 'ba', 'qui', 'del', 'sor', 'nu', 'vex', 'pa']
  const vocabulary = Array.from({ length: 3000 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * 12)]).join(''),
  )
  return () =>
    Array.from({ length: 8 + Math.floor(next() * 17) }, () => vocabulary[Math.floor(next() * 3000)]).join(' ')
}

const pick = <T>(list: readonly T[], next: () => number): T => list[Math.floor(next() * list.length)] as T

/**
 * Recall over 100,000 notes spread over the four scopes and the seven agents (and `all`), every note
 * still alive (its age within its scope's lifetime), so none is filtered out before ranking. Reports
 * the time to open the store (read and index the files) and the median time of `recall` for one
 * agent with a task text, over 101 different tasks. Target: recall < 50 ms.
 *
 * With `fresh`, every note is written now with confidence 1: its strength is 1, so no note can be
 * ruled out before its relevance is computed (the slowest case for recall).
 */
export async function benchRecall(
  dir: string,
  { count = 100_000, fresh = false }: { count?: number; fresh?: boolean } = {},
): Promise<{
  entries: number
  loadMs: number
  recallMedianMs: number
  recallMaxMs: number
  recalled: number
}> {
  const next = random(7)
  const sentence = sentences(next)
  const now = new Date('2025-06-01T00:00:00.000Z')
  const files = new Map<MemoryScope, string[]>(MEMORY_SCOPES.map((s) => [s, []]))
  for (let i = 0; i < count; i++) {
    const scope = pick(MEMORY_SCOPES, next)
    const { half_life_hours } = DEFAULT_MEMORY_POLICY.scopes[scope]
    const life = lifetimeHours(half_life_hours, DEFAULT_MEMORY_POLICY.prune.threshold)
    const at = new Date(now.getTime() - (fresh ? 0 : next() * life * 0.9 * HOUR_MS)).toISOString()
    const entry: MemoryEntry = {
      id: `m-${i.toString(16).padStart(8, '0')}`,
      scope,
      agent: pick(AGENTS, next),
      content: sentence(),
      tags: [pick(TAGS, next), pick(TAGS, next)],
      confidence: fresh ? 1 : 0.5 + next() / 2,
      created: at,
      reinforced: at,
    }
    files.get(scope)?.push(`${JSON.stringify(entry)}\n`)
  }
  const root = join(dir, 'recall')
  await mkdir(join(root, 'memory'), { recursive: true })
  try {
    for (const [scope, lines] of files)
      await writeFile(join(root, 'memory', `${scope}.jsonl`), lines.join(''))
    const loadStart = performance.now()
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    const loadMs = performance.now() - loadStart
    const tasks = Array.from({ length: 111 }, () => ({ text: sentence(), tags: [pick(TAGS, next)] }))
    const times: number[] = []
    let recalled = 0
    for (const [i, task] of tasks.entries()) {
      const start = performance.now()
      const got = store.recall({ agent: 'implementation', text: task.text, tags: task.tags, now })
      if (i >= 10) times.push(performance.now() - start) // the first ten warm up
      recalled = got.length
    }
    times.sort((a, b) => a - b)
    const recallMedianMs = times[Math.floor(times.length / 2)] ?? Number.NaN
    return { entries: store.size, loadMs, recallMedianMs, recallMaxMs: times.at(-1) ?? Number.NaN, recalled }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

/** Notes a simulated run adds, by scope: what a run's agents would leave behind. */
const PER_RUN: Record<MemoryScope, number> = { working: 8, failure: 8, project: 3, skill: 1 }
/** Notes each simulated run reinforces: the strongest two recalled for the implementation agent. */
const REINFORCED_PER_RUN = 2

/** What the bounded-stores benchmark saw: counts and bytes at the end, the largest along the way. */
export interface BoundedResult {
  runs: number
  finalEntries: number
  maxEntries: number
  bound: number
  finalBytes: number
  maxBytes: number
  byScope: Record<MemoryScope, { final: number; max: number; bound: number }>
  /** Notes held after every tenth of the runs, to show where the count levels off. */
  trace: number[]
  pruneMedianMs: number
}

/**
 * 1,000 simulated runs two hours apart. Each prunes at its start (as a run does), adds 20 notes
 * (8 working, 8 failure, 3 project, 1 skill, confidence 0.5 to 1, all different) through the store,
 * and reinforces the two notes recalled first for the implementation agent. Counts and file sizes
 * are taken after each run's adds, when they are largest.
 *
 * The bound: a note is alive for at most L = half-life × log2(1 / threshold) after its last add or
 * reinforcement (3.32 half-lives at 0.1), and a run prunes what is not. So right after a run's adds a
 * scope holds at most (notes added per run) × (⌊L / step⌋ + 1) notes, never more than the runs so far,
 * plus the notes kept alive by reinforcement: at most 2 per run over the longest window.
 */
export async function benchBoundedStores(dir: string, runs = 1000, stepHours = 2): Promise<BoundedResult> {
  const next = random(11)
  const sentence = sentences(next)
  const root = join(dir, 'bounded')
  await rm(root, { recursive: true, force: true })
  await mkdir(root, { recursive: true })
  const policy = DEFAULT_MEMORY_POLICY
  const window = (scope: MemoryScope) =>
    Math.min(
      runs,
      Math.floor(lifetimeHours(policy.scopes[scope].half_life_hours, policy.prune.threshold) / stepHours) + 1,
    )
  const byScope = Object.fromEntries(
    MEMORY_SCOPES.map((s) => [s, { final: 0, max: 0, bound: PER_RUN[s] * window(s) }]),
  ) as BoundedResult['byScope']
  const bound =
    MEMORY_SCOPES.reduce((sum, s) => sum + byScope[s].bound, 0) +
    REINFORCED_PER_RUN * Math.max(...MEMORY_SCOPES.map(window))
  try {
    const store = await openMemory(root, policy)
    const start = new Date('2025-01-01T00:00:00.000Z').getTime()
    const pruneTimes: number[] = []
    const trace: number[] = []
    let maxEntries = 0
    let maxBytes = 0
    let bytes = 0
    for (let run = 0; run < runs; run++) {
      const now = new Date(start + run * stepHours * HOUR_MS)
      const pruneStart = performance.now()
      await store.prune(now)
      pruneTimes.push(performance.now() - pruneStart)
      for (const scope of MEMORY_SCOPES) {
        for (let i = 0; i < PER_RUN[scope]; i++) {
          const agent = scope === 'working' || scope === 'failure' ? pick(AGENTS, next) : 'all'
          await store.add(
            { scope, agent, content: `run ${run}: ${sentence()}`, confidence: 0.5 + next() / 2 },
            now,
          )
        }
      }
      const recalled = store.recall({
        agent: 'implementation',
        text: sentence(),
        now,
        entries: REINFORCED_PER_RUN,
      })
      await store.reinforce(
        recalled.map((r) => r.entry.id),
        now,
      )
      bytes = 0
      for (const scope of MEMORY_SCOPES) {
        const count = store.list({ scope, now }).length
        byScope[scope].final = count
        byScope[scope].max = Math.max(byScope[scope].max, count)
        bytes += (await stat(store.file(scope)).catch(() => ({ size: 0 }))).size
      }
      maxEntries = Math.max(maxEntries, store.size)
      maxBytes = Math.max(maxBytes, bytes)
      if ((run + 1) % Math.max(1, Math.floor(runs / 10)) === 0) trace.push(store.size)
    }
    pruneTimes.sort((a, b) => a - b)
    const pruneMedianMs = pruneTimes[Math.floor(pruneTimes.length / 2)] ?? Number.NaN
    return {
      runs,
      finalEntries: store.size,
      maxEntries,
      bound,
      finalBytes: bytes,
      maxBytes,
      byScope,
      trace,
      pruneMedianMs,
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
