import type { MemoryEntry, MemoryPolicy, WeighedEntry } from './types.js'

const HOUR_MS = 3_600_000

/**
 * How strong a note is `ageHours` after it was last reinforced: its confidence, halved every
 * half-life. A time before the reinforcement (a clock set back) counts as no time at all.
 */
export function decayedStrength(confidence: number, ageHours: number, halfLifeHours: number): number {
  return confidence * 2 ** (-Math.max(0, ageHours) / halfLifeHours)
}

/** Hours from `reinforced` (ISO or epoch milliseconds) to `now`, never negative. */
export function ageHours(reinforced: string | number, now: Date): number {
  const at = typeof reinforced === 'number' ? reinforced : Date.parse(reinforced)
  return Math.max(0, (now.getTime() - at) / HOUR_MS)
}

/** A note with its strength and age at `now`, under the half-life of its scope. */
export function weigh(entry: MemoryEntry, policy: MemoryPolicy, now: Date): WeighedEntry {
  const age = ageHours(entry.reinforced, now)
  const strength = decayedStrength(entry.confidence, age, policy.scopes[entry.scope].half_life_hours)
  return { entry, strength, age_hours: age }
}

/**
 * True while a note is worth keeping: its strength is at or above the prune threshold. Pruning
 * drops the others, and recall never returns them.
 */
export function isAlive(strength: number, policy: MemoryPolicy): boolean {
  return strength >= policy.prune.threshold
}

/**
 * Hours a note of full confidence stays at or above the threshold: half-life × log2(1 / threshold);
 * 3.32 half-lives for the default threshold of 0.1. Infinite with a threshold of 0.
 */
export function lifetimeHours(halfLifeHours: number, threshold: number): number {
  return threshold <= 0 ? Number.POSITIVE_INFINITY : halfLifeHours * Math.log2(1 / threshold)
}

/** An age as people say it: `just now`, `25 min ago`, `3 h ago`, `4 d ago`. */
export function formatAge(hours: number): string {
  if (hours < 1 / 60) return 'just now'
  if (hours < 1) return `${Math.floor(hours * 60)} min ago`
  if (hours < 48) return `${Math.floor(hours)} h ago`
  return `${Math.floor(hours / 24)} d ago`
}
