import { appendFileSync, mkdirSync } from 'node:fs'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { MemoryEntry, MemoryScope } from './types.js'

/**
 * One scope's file: a JSON line per version of a note. A note written again (reinforced) is appended
 * as a new line with the same id, and the last line of an id wins; pruning rewrites the file with one
 * line per living note. Appends are single writes, so a crash loses at most the line being written,
 * and that torn line is skipped when the file is read.
 */
export interface ScopeFile {
  /** The latest version of every note in the file, in the order they first appeared. */
  entries: MemoryEntry[]
  /** Lines in the file that hold a note, superseded versions included. */
  lines: number
  /** Lines that are not a note (torn by a crash, or edited by hand); they are skipped. */
  skipped: number
  /** False when the file ends inside a line, so the next append must first end it. */
  endsClean: boolean
}

/** Reads a scope's file; a missing file has no notes. */
export async function readScopeFile(file: string, scope: MemoryScope): Promise<ScopeFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { entries: [], lines: 0, skipped: 0, endsClean: true }
    throw error
  }
  const byId = new Map<string, MemoryEntry>()
  let lines = 0
  let skipped = 0
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const entry = parseEntry(line, scope)
    if (entry === undefined) {
      skipped++
      continue
    }
    lines++
    byId.set(entry.id, entry)
  }
  return { entries: [...byId.values()], lines, skipped, endsClean: text === '' || text.endsWith('\n') }
}

/** The JSON line of a note. */
export function entryLine(entry: MemoryEntry): string {
  return `${JSON.stringify(entry)}\n`
}

/**
 * Appends lines in one write, creating the file's directory if needed; `endLine` first ends a torn
 * last line so the new ones stay whole. The write is synchronous: a run appends a few lines per stage,
 * and one blocking append of a few kilobytes costs a fraction of the four trips through the thread
 * pool (mkdir, open, write, close) that the asynchronous calls take.
 */
export function appendLines(file: string, text: string, endLine: boolean): void {
  const data = endLine ? `\n${text}` : text
  try {
    appendFileSync(file, data)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    mkdirSync(dirname(file), { recursive: true })
    appendFileSync(file, data)
  }
}

/** Replaces a file's content: written and flushed to a temporary file, then renamed over it. */
export async function rewriteFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    const handle = await open(temporary, 'w')
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

const tails = new Map<string, Promise<unknown>>()

/**
 * Runs `task` after every task queued before it under the same key (a memory directory), so writers
 * in one process never interleave. A failed task does not stop the ones after it.
 */
export function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve()
  const next = previous.then(task, task)
  const tail = next.catch(() => undefined)
  tails.set(key, tail)
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key)
  })
  return next
}

function parseEntry(line: string, scope: MemoryScope): MemoryEntry | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const e = value as Partial<MemoryEntry>
  const ok =
    typeof e.id === 'string' &&
    e.scope === scope &&
    typeof e.agent === 'string' &&
    typeof e.content === 'string' &&
    Array.isArray(e.tags) &&
    e.tags.every((t) => typeof t === 'string') &&
    typeof e.confidence === 'number' &&
    e.confidence >= 0 &&
    e.confidence <= 1 &&
    typeof e.created === 'string' &&
    typeof e.reinforced === 'string' &&
    !Number.isNaN(Date.parse(e.reinforced))
  return ok ? (e as MemoryEntry) : undefined
}
