import { isAlive, weigh } from './decay.js'
import { entryLine, readScopeFile, rewriteFile, type ScopeFile } from './store-file.js'
import type { MemoryPolicy, MemoryScope } from './types.js'

/** What pruning did, or would do with `dryRun`: notes dropped and kept, unreadable lines dropped. */
export interface PruneResult {
  removed: number
  kept: number
  skipped: number
}

/** One scope file pruned: what was dropped, and the file as it now is (or would be kept, dry). */
export interface PrunedFile {
  removed: number
  /** Unreadable lines found (and dropped, unless dry). */
  skipped: number
  file: ScopeFile
}

/**
 * Reads a scope's file and drops the notes below the threshold at `now`. When anything is dropped,
 * superseded or unreadable, the file is rewritten with one line per living note (through a temporary
 * file); with `dryRun` nothing is written and every note is kept.
 */
export async function pruneScopeFile(
  file: string,
  scope: MemoryScope,
  policy: MemoryPolicy,
  now: Date,
  dryRun = false,
): Promise<PrunedFile> {
  const read = await readScopeFile(file, scope)
  const alive = read.entries.filter((e) => isAlive(weigh(e, policy, now).strength, policy))
  const removed = read.entries.length - alive.length
  if (dryRun) return { removed, skipped: read.skipped, file: read }
  if (alive.length < read.lines || read.skipped > 0) await rewriteFile(file, alive.map(entryLine).join(''))
  return {
    removed,
    skipped: read.skipped,
    file: { entries: alive, lines: alive.length, skipped: 0, endsClean: true },
  }
}
