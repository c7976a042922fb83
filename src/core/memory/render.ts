import { formatAge } from './decay.js'
import { normalContent } from './memory-index.js'
import type { MemoryScope, WeighedEntry } from './types.js'

/**
 * One note as an agent reads it: `[failure, 3 h ago, strength 0.71] content`. The recall budget
 * counts the tokens of exactly this text.
 */
export function renderMemoryEntry(item: WeighedEntry): string {
  const { entry } = item
  const content = normalContent(entry.content)
  return `[${entry.scope}, ${formatAge(item.age_hours)}, strength ${item.strength.toFixed(2)}] ${content}`
}

/**
 * The memory block of a prompt: one line per recalled note, strongest match first, each with its
 * scope, age, strength and content. Empty when nothing was recalled.
 */
export function renderMemory(recalled: readonly WeighedEntry[]): string {
  return recalled.map((item) => `- ${renderMemoryEntry(item)}`).join('\n')
}

/** Recalled notes in the shape of a contract input's `memory` field (requirements contract). */
export function memoryNotes(
  recalled: readonly WeighedEntry[],
): { scope: MemoryScope; text: string; strength: number }[] {
  return recalled.map(({ entry, strength }) => ({
    scope: entry.scope,
    text: entry.content,
    strength: Math.round(strength * 100) / 100,
  }))
}
