import { randomBytes } from 'node:crypto'
import { ageHours } from './decay.js'
import type { MemoryEntry } from './types.js'
import type { CheckedEntry } from './validate.js'

/** How much confidence a note gains each time it helps (or is written again), up to 1. */
export const REINFORCE_STEP = 0.1

/** A new note: first written and last reinforced now. */
export function firstVersion(id: string, fresh: CheckedEntry, now: Date): MemoryEntry {
  const { source, ...rest } = fresh
  const at = now.toISOString()
  return { id, ...rest, created: at, reinforced: at, ...(source ? { source } : {}) }
}

/** A note that helped: its decay restarts now and its confidence goes up a step. */
export function reinforcedVersion(entry: MemoryEntry, now: Date): MemoryEntry {
  return { ...entry, confidence: stepUp(entry.confidence), reinforced: now.toISOString() }
}

/**
 * Whether `updated`, a version of `entry` reinforced or written again now, changes what recall sees:
 * a higher confidence, more tags, or the restart of a decay that has run for at least a hundredth of
 * the half-life (0.7 % of the strength). A note that helps stage after stage of a run looping through
 * its stages would otherwise be written again at every pass, for nothing: the versions would fill its
 * file, and each one costs the stage a write.
 */
export function worthWriting(
  entry: MemoryEntry,
  updated: MemoryEntry,
  halfLifeHours: number,
  now: Date,
): boolean {
  return (
    updated.confidence !== entry.confidence ||
    updated.tags.length !== entry.tags.length ||
    ageHours(entry.reinforced, now) >= halfLifeHours / 100
  )
}

/**
 * A note written again: reinforced from the higher of its confidence and the new one, with the
 * tags of both.
 */
export function rewrittenVersion(entry: MemoryEntry, fresh: CheckedEntry, now: Date): MemoryEntry {
  const tags = [...new Set([...entry.tags, ...fresh.tags])]
  return reinforcedVersion({ ...entry, tags, confidence: Math.max(entry.confidence, fresh.confidence) }, now)
}

/** A fresh note id, `m-` and 8 hex digits, that `taken` says is not in use. */
export function newMemoryId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = `m-${randomBytes(4).toString('hex')}`
    if (!taken(id)) return id
  }
}

function stepUp(confidence: number): number {
  return Math.min(1, Math.round((confidence + REINFORCE_STEP) * 1e6) / 1e6)
}
