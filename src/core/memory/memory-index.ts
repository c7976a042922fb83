import { ALL_AGENTS, type MemoryEntry, type MemoryPolicy } from './types.js'
import { normalTag, wordsOf } from './relevance.js'

const HOUR_MS = 3_600_000

/** A note held in memory with what recall needs precomputed: its words, tags, times. */
export class IndexedEntry {
  entry!: MemoryEntry
  confidence = 0
  reinforcedMs = 0
  halfLifeMs = 1
  words: string[] = []
  tags: string[] = []

  constructor(entry: MemoryEntry, policy: MemoryPolicy) {
    this.update(entry, policy)
  }

  /** Holds a newer version of the note (reinforced: new time, confidence, tags). */
  update(entry: MemoryEntry, policy: MemoryPolicy): void {
    if (this.entry?.content !== entry.content) this.words = wordsOf(entry.content)
    this.entry = entry
    this.confidence = entry.confidence
    this.reinforcedMs = Date.parse(entry.reinforced)
    this.halfLifeMs = policy.scopes[entry.scope].half_life_hours * HOUR_MS
    this.tags = entry.tags.length === 0 ? [] : [...new Set(entry.tags.map(normalTag))]
  }
}

/**
 * Every note of a store, by id, by agent (for recall) and by content (to reinforce a note written
 * again instead of keeping two). Built once when the store opens and kept up to date by its writes.
 */
export class MemoryIndex {
  private readonly byId = new Map<string, IndexedEntry>()
  private readonly byAgent = new Map<string, IndexedEntry[]>()
  /** Scope and agent, then content with white space normalized. */
  private readonly byContent = new Map<string, Map<string, IndexedEntry>>()

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
  visibleTo(agent: string): (readonly IndexedEntry[])[] {
    const own = this.byAgent.get(agent) ?? []
    return agent === ALL_AGENTS ? [own] : [own, this.byAgent.get(ALL_AGENTS) ?? []]
  }

  /** The note of this scope and agent with the same content, if there is one. */
  sameContent(entry: Pick<MemoryEntry, 'scope' | 'agent' | 'content'>): IndexedEntry | undefined {
    return this.byContent.get(ownerKey(entry))?.get(normalContent(entry.content))
  }

  /** Adds a note, or replaces the version held of a note with the same id. */
  put(entry: MemoryEntry): void {
    const existing = this.byId.get(entry.id)
    if (existing) {
      existing.update(entry, this.policy)
      return
    }
    const item = new IndexedEntry(entry, this.policy)
    this.byId.set(entry.id, item)
    const owner = ownerKey(entry)
    const contents = this.byContent.get(owner)
    if (contents) contents.set(normalContent(entry.content), item)
    else this.byContent.set(owner, new Map([[normalContent(entry.content), item]]))
    const list = this.byAgent.get(entry.agent)
    if (list) list.push(item)
    else this.byAgent.set(entry.agent, [item])
  }
}

/** Content compares with runs of white space as one space and without surrounding space. */
export function normalContent(content: string): string {
  return /\s\s|[^\S ]|^\s|\s$/.test(content) ? content.replace(/\s+/g, ' ').trim() : content
}

function ownerKey(entry: Pick<MemoryEntry, 'scope' | 'agent'>): string {
  return `${entry.scope}\u0000${entry.agent}`
}
