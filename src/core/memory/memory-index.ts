import { ALL_AGENTS, type MemoryEntry, type MemoryPolicy } from './types.js'
import { normalTag, wordsOf } from './relevance.js'

const HOUR_MS = 3_600_000

/** A note held in memory with what recall needs precomputed: its words, tags, times. */
export interface IndexedEntry {
  entry: MemoryEntry
  words: string[]
  tags: string[]
  reinforcedMs: number
  halfLifeMs: number
}

/**
 * Every note of a store, by id, by agent (for recall) and by content (to reinforce a note written
 * again instead of keeping two). Built once when the store opens and kept up to date by its writes.
 */
export class MemoryIndex {
  private readonly byId = new Map<string, IndexedEntry>()
  private readonly byAgent = new Map<string, IndexedEntry[]>()
  private readonly byContent = new Map<string, IndexedEntry>()

  constructor(private readonly policy: MemoryPolicy) {}

  get size(): number {
    return this.byId.size
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  get(id: string): IndexedEntry | undefined {
    return this.byId.get(id)
  }

  all(): IterableIterator<IndexedEntry> {
    return this.byId.values()
  }

  /** The notes an agent may recall: its own and those for every agent. */
  *visibleTo(agent: string): Generator<IndexedEntry> {
    yield* this.byAgent.get(agent) ?? []
    if (agent !== ALL_AGENTS) yield* this.byAgent.get(ALL_AGENTS) ?? []
  }

  /** The note of this scope and agent with the same content, if there is one. */
  sameContent(entry: Pick<MemoryEntry, 'scope' | 'agent' | 'content'>): IndexedEntry | undefined {
    return this.byContent.get(contentKey(entry))
  }

  /** Adds a note, or replaces the version held of a note with the same id. */
  put(entry: MemoryEntry): void {
    const existing = this.byId.get(entry.id)
    if (existing) {
      Object.assign(existing, this.indexed(entry))
      return
    }
    const item = this.indexed(entry)
    this.byId.set(entry.id, item)
    this.byContent.set(contentKey(entry), item)
    const list = this.byAgent.get(entry.agent)
    if (list) list.push(item)
    else this.byAgent.set(entry.agent, [item])
  }

  private indexed(entry: MemoryEntry): IndexedEntry {
    return {
      entry,
      words: wordsOf(entry.content),
      tags: [...new Set(entry.tags.map(normalTag))],
      reinforcedMs: Date.parse(entry.reinforced),
      halfLifeMs: this.policy.scopes[entry.scope].half_life_hours * HOUR_MS,
    }
  }
}

/** Content compares with runs of white space as one space and without surrounding space. */
export function normalContent(content: string): string {
  return content.replace(/\s+/g, ' ').trim()
}

function contentKey(entry: Pick<MemoryEntry, 'scope' | 'agent' | 'content'>): string {
  return `${entry.scope}\u0000${entry.agent}\u0000${normalContent(entry.content)}`
}
