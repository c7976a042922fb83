import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isAlive, weigh } from './decay.js'
import { MemoryIndex } from './memory-index.js'
import { retrievalBudget } from './policy.js'
import { recallFrom } from './recall.js'
import { appendLines, entryLine, readScopeFile, rewriteFile, serialize } from './store-file.js'
import {
  MEMORY_SCOPES,
  type MemoryEntry,
  type MemoryPolicy,
  type MemoryScope,
  type NewMemoryEntry,
  type RecalledEntry,
  type RecallQuery,
  type WeighedEntry,
} from './types.js'
import { checkNewEntry } from './validate.js'

/** How much confidence a note gains each time it helps (or is written again), up to 1. */
export const REINFORCE_STEP = 0.1

/** What pruning did, or would do with `dryRun`: notes dropped and kept, unreadable lines dropped. */
export interface PruneResult {
  removed: number
  kept: number
  skipped: number
}

/** Opens the notes under `<root>/memory/`: reads every scope's file once and indexes it. */
export async function openMemory(root: string, policy: MemoryPolicy): Promise<MemoryStore> {
  const store = new MemoryStore(resolve(root, 'memory'), policy)
  await store.reload()
  return store
}

/**
 * The notes of a repository, held in memory for fast recall and written through to one JSONL file
 * per scope. Writes are queued one after another (per directory, across stores of one process).
 */
export class MemoryStore {
  private index: MemoryIndex
  private endsClean = new Map<MemoryScope, boolean>()
  /** Unreadable lines seen by the last read (torn by a crash, or edited by hand). */
  skipped = 0

  constructor(
    readonly dir: string,
    readonly policy: MemoryPolicy,
  ) {
    this.index = new MemoryIndex(policy)
  }

  /** How many notes the store holds, alive or not. */
  get size(): number {
    return this.index.size
  }

  /**
   * Remembers a note. The same content for the same agent and scope reinforces the note already
   * there (now as its time, confidence up a step, tags merged) rather than keeping two.
   */
  add(input: NewMemoryEntry, now = new Date()): Promise<MemoryEntry> {
    const fresh = checkNewEntry(input)
    return this.write(async () => {
      const same = this.index.sameContent(fresh)
      const entry: MemoryEntry = same
        ? {
            ...same.entry,
            tags: [...new Set([...same.entry.tags, ...fresh.tags])],
            confidence: stepUp(Math.max(same.entry.confidence, fresh.confidence)),
            reinforced: now.toISOString(),
          }
        : { id: this.newId(), ...fresh, created: now.toISOString(), reinforced: now.toISOString() }
      await this.append([entry])
      return entry
    })
  }

  /** The notes most worth showing `query.agent` for its task, within the policy's budget. */
  recall(query: RecallQuery): RecalledEntry[] {
    const budget = retrievalBudget(this.policy, query.agent)
    return recallFrom(this.index, this.policy, query, {
      entries: query.entries ?? budget.entries,
      tokens: query.tokens ?? budget.tokens,
    })
  }

  /** Marks notes that helped: their decay starts again now and their confidence goes up a step. */
  reinforce(ids: readonly string[], now = new Date()): Promise<MemoryEntry[]> {
    return this.write(async () => {
      const updated = [...new Set(ids)].flatMap((id) => {
        const item = this.index.get(id)
        if (!item) return []
        const entry = item.entry
        return [{ ...entry, confidence: stepUp(entry.confidence), reinforced: now.toISOString() }]
      })
      await this.append(updated)
      return updated
    })
  }

  /**
   * Drops the notes whose strength fell below the threshold. Reads the files again first (another
   * process may have added to them) and rewrites each changed one through a temporary file.
   */
  prune(now = new Date(), options: { dryRun?: boolean } = {}): Promise<PruneResult> {
    return this.write(async () => {
      const result: PruneResult = { removed: 0, kept: 0, skipped: 0 }
      const index = new MemoryIndex(this.policy)
      for (const scope of MEMORY_SCOPES) {
        const read = await readScopeFile(this.file(scope), scope)
        const alive = read.entries.filter((e) => isAlive(weigh(e, this.policy, now).strength, this.policy))
        result.removed += read.entries.length - alive.length
        result.kept += alive.length
        result.skipped += read.skipped
        const changed = alive.length < read.lines || read.skipped > 0
        const kept = options.dryRun ? read.entries : alive
        if (changed && !options.dryRun) await rewriteFile(this.file(scope), kept.map(entryLine).join(''))
        this.endsClean.set(scope, options.dryRun ? read.endsClean : true)
        for (const entry of kept) index.put(entry)
      }
      this.index = index
      this.skipped = options.dryRun ? result.skipped : 0
      return result
    })
  }

  /** Notes with their strength at `now`, strongest first; only one scope's or one agent's if asked. */
  list(filter: { scope?: MemoryScope; agent?: string; now?: Date } = {}): WeighedEntry[] {
    const now = filter.now ?? new Date()
    const out: WeighedEntry[] = []
    for (const { entry } of this.index.all()) {
      if (filter.scope !== undefined && entry.scope !== filter.scope) continue
      if (filter.agent !== undefined && entry.agent !== filter.agent) continue
      out.push(weigh(entry, this.policy, now))
    }
    return out.sort((a, b) => b.strength - a.strength || a.age_hours - b.age_hours)
  }

  /** Reads every scope's file again and rebuilds the index from them. */
  reload(): Promise<void> {
    return this.write(async () => {
      const index = new MemoryIndex(this.policy)
      const reads = await Promise.all(MEMORY_SCOPES.map((s) => readScopeFile(this.file(s), s)))
      this.skipped = 0
      for (const [i, read] of reads.entries()) {
        for (const entry of read.entries) index.put(entry)
        this.skipped += read.skipped
        this.endsClean.set(MEMORY_SCOPES[i] as MemoryScope, read.endsClean)
      }
      this.index = index
    })
  }

  /** The file of one scope. */
  file(scope: MemoryScope): string {
    return join(this.dir, `${scope}.jsonl`)
  }

  private write<T>(task: () => Promise<T>): Promise<T> {
    return serialize(this.dir, task)
  }

  /** Appends new versions of notes to their scopes' files, then holds them in the index. */
  private async append(entries: MemoryEntry[]): Promise<void> {
    if (entries.length === 0) return
    await mkdir(this.dir, { recursive: true })
    for (const scope of MEMORY_SCOPES) {
      const lines = entries.filter((e) => e.scope === scope)
      if (lines.length === 0) continue
      await appendLines(this.file(scope), lines.map(entryLine).join(''), this.endsClean.get(scope) === false)
      this.endsClean.set(scope, true)
    }
    for (const entry of entries) this.index.put(entry)
  }

  private newId(): string {
    for (;;) {
      const id = `m-${randomBytes(4).toString('hex')}`
      if (!this.index.has(id)) return id
    }
  }
}

function stepUp(confidence: number): number {
  return Math.min(1, Math.round((confidence + REINFORCE_STEP) * 1e6) / 1e6)
}
