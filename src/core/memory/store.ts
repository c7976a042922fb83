import { join, resolve } from 'node:path'
import { weigh } from './decay.js'
import { MemoryIndex } from './memory-index.js'
import { retrievalBudget } from './policy.js'
import { recallFrom } from './recall.js'
import { type PruneResult, pruneScopeFile } from './prune.js'
import { appendLines, entryLine, readScopeFile, type ScopeFile, serialize } from './store-file.js'
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
import { firstVersion, newMemoryId, reinforcedVersion, rewrittenVersion, worthWriting } from './versions.js'

export type { PruneResult }

/**
 * Opens the notes under `<root>/memory/`: reads every scope's file once and indexes it. With
 * `sharedRoot`, the scopes the policy marks `shared` (committed ones) are read and written under
 * `<sharedRoot>/memory/` instead, such as a run's worktree, so that they are committed on the run
 * branch rather than changed in the user's checkout.
 */
export async function openMemory(
  root: string,
  policy: MemoryPolicy,
  options: { sharedRoot?: string } = {},
): Promise<MemoryStore> {
  const dir = resolve(root, 'memory')
  const store = new MemoryStore(dir, policy, resolve(options.sharedRoot ?? root, 'memory'))
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
    /** Where the shared scopes' files are; `dir` unless the store was opened with a shared root. */
    readonly sharedDir = dir,
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
  async add(input: NewMemoryEntry, now = new Date()): Promise<MemoryEntry> {
    const fresh = checkNewEntry(input)
    return this.write(async () => {
      const same = this.index.sameContent(fresh)?.entry
      const taken = (id: string) => this.index.has(id)
      const entry = same ? rewrittenVersion(same, fresh, now) : firstVersion(newMemoryId(taken), fresh, now)
      // Written again soon with nothing new, the note stays as it is.
      if (same && !this.worthWriting(same, entry, now)) return same
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

  /**
   * Marks notes that helped: their decay starts again now and their confidence goes up a step. A note
   * for which that changes next to nothing is left as it is (see `worthWriting`). Returns the
   * versions written.
   */
  reinforce(ids: readonly string[], now = new Date()): Promise<MemoryEntry[]> {
    return this.write(async () => {
      const updated = [...new Set(ids)].flatMap((id) => {
        const entry = this.index.get(id)?.entry
        if (!entry) return []
        const version = reinforcedVersion(entry, now)
        return this.worthWriting(entry, version, now) ? [version] : []
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
      const files: ScopeFile[] = []
      for (const scope of MEMORY_SCOPES) {
        const pruned = await pruneScopeFile(this.file(scope), scope, this.policy, now, options.dryRun)
        result.removed += pruned.removed
        result.kept += pruned.file.entries.length - (options.dryRun ? pruned.removed : 0)
        result.skipped += pruned.skipped
        files.push(pruned.file)
      }
      this.hold(files)
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
      this.hold(await Promise.all(MEMORY_SCOPES.map((s) => readScopeFile(this.file(s), s))))
    })
  }

  /** Holds what was read of the scopes' files (in MEMORY_SCOPES order) in a new index. */
  private hold(files: ScopeFile[]): void {
    const index = new MemoryIndex(this.policy)
    this.skipped = 0
    for (const [i, file] of files.entries()) {
      for (const entry of file.entries) index.put(entry)
      this.skipped += file.skipped
      this.endsClean.set(MEMORY_SCOPES[i] as MemoryScope, file.endsClean)
    }
    this.index = index
  }

  /** The file of one scope. */
  file(scope: MemoryScope): string {
    return join(this.policy.scopes[scope].shared ? this.sharedDir : this.dir, `${scope}.jsonl`)
  }

  private write<T>(task: () => Promise<T>): Promise<T> {
    return serialize(this.dir, task)
  }

  private worthWriting(entry: MemoryEntry, updated: MemoryEntry, now: Date): boolean {
    return worthWriting(entry, updated, this.policy.scopes[entry.scope].half_life_hours, now)
  }

  /** Appends new versions of notes to their scopes' files, then holds them in the index. */
  private async append(entries: MemoryEntry[]): Promise<void> {
    if (entries.length === 0) return
    for (const scope of MEMORY_SCOPES) {
      const lines = entries.filter((e) => e.scope === scope)
      if (lines.length === 0) continue
      appendLines(this.file(scope), lines.map(entryLine).join(''), this.endsClean.get(scope) === false)
      this.endsClean.set(scope, true)
    }
    for (const entry of entries) this.index.put(entry)
  }
}
