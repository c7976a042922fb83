import { estimateTokens } from '../repo/tokens.js'
import type { IndexedEntry, MemoryIndex } from './memory-index.js'
import { relevance, type TaskTerms, taskTerms } from './relevance.js'
import { renderMemoryEntry } from './render.js'
import { TopScores } from './top-scores.js'
import type { MemoryPolicy, RecalledEntry, RecallQuery, RetrievalBudget } from './types.js'

const HOUR_MS = 3_600_000
/** The fewest tokens a rendered note can take: `- [skill, 3 h ago, strength 0.10] x`. */
const SHORTEST_LINE_TOKENS = 9

/**
 * The notes most worth showing an agent for a task: those it may see (its own and every agent's)
 * that are still alive (strength at or above the prune threshold), ranked by strength × relevance,
 * taken in that order while they fit the budget: at most `entries` notes and `tokens` estimated
 * tokens of rendered text. A note too long for what is left is passed over for shorter ones.
 *
 * Only the best few candidates are ranked (relevance is at most 1, so a note whose strength is below
 * the worst of them cannot get in and its relevance is not computed); when long notes were passed
 * over until the candidates ran out, it ranks them all.
 */
export function recallFrom(
  index: MemoryIndex,
  policy: MemoryPolicy,
  query: RecallQuery,
  budget: RetrievalBudget,
): RecalledEntry[] {
  const task = termsOf(query.text, query.tags ?? [])
  const nowMs = (query.now ?? new Date()).getTime()
  const candidates = Math.max(32, budget.entries * 4)
  const first = rank(index.visibleTo(query.agent), policy, task, nowMs, candidates)
  const fitted = fit(first.ranked, budget)
  if (fitted.complete || !first.overflowed) return fitted.chosen
  return fit(rank(index.visibleTo(query.agent), policy, task, nowMs, Number.POSITIVE_INFINITY).ranked, budget)
    .chosen
}

/** Tasks prepared recently: a stage visited again asks with the same text, so its words are kept. */
const prepared = new Map<string, TaskTerms>()
const PREPARED_KEPT = 64

function termsOf(text: string, tags: readonly string[]): TaskTerms {
  const key = `${tags.join('\u0000')}\u0001${text}`
  let terms = prepared.get(key)
  if (terms === undefined) {
    if (prepared.size >= PREPARED_KEPT) prepared.delete(prepared.keys().next().value as string)
    terms = taskTerms(text, tags)
  } else prepared.delete(key) // moved to the end: the most recently used
  prepared.set(key, terms)
  return terms
}

function rank(
  lists: readonly (readonly IndexedEntry[])[],
  policy: MemoryPolicy,
  task: TaskTerms,
  nowMs: number,
  limit: number,
): { ranked: RecalledEntry[]; overflowed: boolean } {
  const top = new TopScores<RecalledEntry>(limit)
  const threshold = policy.prune.threshold
  for (const list of lists) {
    for (const item of list) {
      const ageMs = nowMs > item.reinforcedMs ? nowMs - item.reinforcedMs : 0
      const strength = item.confidence * 2 ** (-ageMs / item.halfLifeMs)
      if (strength < threshold || strength <= top.floor) continue
      const fit = relevance(item.words, item.tags, task)
      const score = strength * fit
      top.offer(score, () => ({
        entry: item.entry,
        strength,
        age_hours: ageMs / HOUR_MS,
        relevance: fit,
        score,
      }))
    }
  }
  return { ranked: top.sorted(byScore), overflowed: top.overflowed }
}

/** Takes ranked notes in order while they fit; `complete` when the budget, not the list, ran out. */
function fit(
  ranked: RecalledEntry[],
  budget: RetrievalBudget,
): { chosen: RecalledEntry[]; complete: boolean } {
  const chosen: RecalledEntry[] = []
  let tokens = 0
  for (const item of ranked) {
    if (chosen.length >= budget.entries || budget.tokens - tokens < SHORTEST_LINE_TOKENS)
      return { chosen, complete: true }
    const cost = estimateTokens(`- ${renderMemoryEntry(item)}\n`)
    if (tokens + cost > budget.tokens) continue
    chosen.push(item)
    tokens += cost
  }
  const complete = chosen.length >= budget.entries || budget.tokens - tokens < SHORTEST_LINE_TOKENS
  return { chosen, complete }
}

/** Highest score first; on a tie, the stronger note, then the more recently reinforced one. */
function byScore(a: RecalledEntry, b: RecalledEntry): number {
  return b.score - a.score || b.strength - a.strength || a.age_hours - b.age_hours
}
