import { estimateTokens } from '../repo/tokens.js'
import type { MemoryIndex } from './memory-index.js'
import { relevance, taskTerms } from './relevance.js'
import { renderMemoryEntry } from './render.js'
import type { MemoryPolicy, RecalledEntry, RecallQuery, RetrievalBudget } from './types.js'

const HOUR_MS = 3_600_000
/** The fewest tokens a rendered note can take: `- [skill, just now, strength 0.10] x`. */
const SHORTEST_LINE_TOKENS = 9

/**
 * The notes most worth showing an agent for a task: those it may see (its own and every agent's)
 * that are still alive (strength at or above the prune threshold), ranked by strength × relevance,
 * taken in that order while they fit the budget: at most `entries` notes and `tokens` estimated
 * tokens of rendered text. A note too long for what is left is passed over for shorter ones.
 */
export function recallFrom(
  index: MemoryIndex,
  policy: MemoryPolicy,
  query: RecallQuery,
  budget: RetrievalBudget,
): RecalledEntry[] {
  const nowMs = (query.now ?? new Date()).getTime()
  const task = taskTerms(query.text, query.tags)
  const threshold = policy.prune.threshold
  const ranked: RecalledEntry[] = []
  for (const item of index.visibleTo(query.agent)) {
    const ageMs = Math.max(0, nowMs - item.reinforcedMs)
    const strength = item.entry.confidence * 2 ** (-ageMs / item.halfLifeMs)
    if (strength < threshold) continue
    const fit = relevance(item.words, item.tags, task)
    ranked.push({ entry: item.entry, strength, age_hours: ageMs / HOUR_MS, relevance: fit, score: strength * fit })
  }
  ranked.sort(byScore)
  const chosen: RecalledEntry[] = []
  let tokens = 0
  for (const item of ranked) {
    if (chosen.length >= budget.entries || budget.tokens - tokens < SHORTEST_LINE_TOKENS) break
    const cost = estimateTokens(`- ${renderMemoryEntry(item)}\n`)
    if (tokens + cost > budget.tokens) continue
    chosen.push(item)
    tokens += cost
  }
  return chosen
}

/** Highest score first; on a tie, the stronger note, then the more recently reinforced one. */
function byScore(a: RecalledEntry, b: RecalledEntry): number {
  return b.score - a.score || b.strength - a.strength || a.age_hours - b.age_hours
}
