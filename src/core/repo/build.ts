import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs'
import { join, resolve } from 'node:path'
import { stateDir } from '../state-dir.js'
import {
  blobId,
  type MapCache,
  mapCacheKey,
  readMapCache,
  readSymbolCache,
  writeMapCache,
  writeSymbolCache,
} from './cache.js'
import { type IndexEntry, indexEntries, listIndex, worktreeChanges } from './git.js'
import { exportedSymbols, isScriptPath } from './symbols.js'
import { loadTypeScript } from './typescript.js'
import type { RepoFile, RepoMap, RepoMapOptions, RepoSymbol } from './types.js'

const DEFAULT_MAX_PARSE_BYTES = 512 * 1024
/** How long the build may hold the event loop before it lets a UI draw and checks the signal. */
const SLICE_MS = 25

/**
 * Maps the repository at `root` (a git work tree, or a folder inside one): every file `git ls-files`
 * lists under it, with its size, and the exports of JavaScript and TypeScript files. Throws REPO_NOT_GIT
 * when `root` is not in a work tree.
 *
 * The map describes the working tree. A file edited but not committed has its size on disk and the
 * symbols of its text on disk, and is marked `changed`; a tracked file deleted from disk is listed with
 * size 0 and no symbols. Files git ignores, and untracked files, are not listed.
 *
 * Two caches under `<root>/.macds/cache/` make a repeated build cheap: the last map, keyed by the index
 * (see `mapCacheKey`), is returned as it is when no tracked file differs from the index; and symbols are
 * kept by blob id, so a file is parsed once per content. Files unchanged since the last map keep their
 * entry without being read. A cache file that is missing, corrupt or from another version is rebuilt; one
 * that cannot be written is skipped.
 */
export async function buildRepoMap(root: string, options: RepoMapOptions = {}): Promise<RepoMap> {
  const dir = resolve(root)
  const maxParseBytes = options.maxParseBytes ?? DEFAULT_MAX_PARSE_BYTES
  const cacheDir =
    options.cache === false
      ? undefined
      : typeof options.cache === 'string'
        ? options.cache
        : join(dir, '.macds', 'cache')
  // The cached map is read and parsed while git runs.
  const [listing, changes, cached] = await Promise.all([
    listIndex(dir, options.signal),
    worktreeChanges(dir, options.signal),
    cacheDir === undefined ? undefined : readMapCache(cacheDir, maxParseBytes),
  ])
  const key = mapCacheKey(listing)
  const wasClean = cached?.map.files.every((file) => file.changed === undefined) ?? false
  if (cached?.key === key && changes.size === 0 && wasClean) return { root: dir, files: cached.map.files }

  const symbols = cacheDir === undefined ? new Map<string, RepoSymbol[]>() : await readSymbolCache(cacheDir)
  const builder = new FileBuilder(dir, maxParseBytes, symbols, options)
  const previous = new Map(cached?.map.files.map((file) => [file.path, file]))
  const files: RepoFile[] = []
  for (const entry of indexEntries(listing)) {
    files.push(await builder.file(entry, changes.get(entry.path), previous.get(entry.path)))
    await builder.pause()
  }
  const map: RepoMap = { root: dir, files }
  if (cacheDir !== undefined) await saveCaches(dir, { key, maxParseBytes, map }, builder)
  return map
}

/** Builds one file's entry, reusing the previous one or cached symbols when its content is known. */
class FileBuilder {
  /** Symbol-cache keys of the files in this map, so that the cache keeps them. */
  readonly used = new Set<string>()
  parsed = 0
  private sliceStart = performance.now()

  constructor(
    private readonly root: string,
    private readonly maxParseBytes: number,
    readonly symbols: Map<string, RepoSymbol[]>,
    private readonly options: RepoMapOptions,
  ) {}

  async file(
    entry: IndexEntry,
    change: RepoFile['changed'],
    previous: RepoFile | undefined,
  ): Promise<RepoFile> {
    const { path, blob } = entry
    if (change === undefined && previous?.blob === blob && previous.changed === undefined) {
      if (previous.symbols !== undefined) this.used.add(blob)
      return previous
    }
    const base: RepoFile =
      change === undefined ? { path, size: 0, blob } : { path, size: 0, blob, changed: change }
    if (entry.mode === '160000' || change === 'deleted') return base // a submodule, or gone from disk
    const absolute = join(this.root, path)
    const parseable = isScriptPath(path) && entry.mode !== '120000' // never a symbolic link's target
    const known = parseable && change === undefined ? this.symbols.get(blob) : undefined
    if (!parseable || known !== undefined) {
      const size = statOf(absolute)?.size
      if (size === undefined) return base
      if (known === undefined) return { ...base, size }
      if (size > this.maxParseBytes) return { ...base, size, skipped: 'too_large' }
      this.used.add(blob)
      return { ...base, size, symbols: known }
    }
    const read = readRegularFile(absolute, this.maxParseBytes)
    if (read === undefined) return { ...base, size: statOf(absolute)?.size ?? 0 } // a link, a directory, missing
    if (read.content === undefined) return { ...base, size: read.size, skipped: 'too_large' }
    const symbols = await this.symbolsOf(
      path,
      change === undefined ? blob : blobId(read.content),
      read.content,
    )
    return { ...base, size: read.size, symbols }
  }

  /** Lets the event loop run (a UI draw, a signal abort) when the build has held it for a while. */
  async pause(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return
    await new Promise((resolve) => setImmediate(resolve))
    this.options.signal?.throwIfAborted()
    this.sliceStart = performance.now()
  }

  /** The symbols of a file whose content has the symbol-cache key `id`, parsing it if they are not known. */
  private async symbolsOf(path: string, id: string, content: Buffer): Promise<RepoSymbol[]> {
    let symbols = this.symbols.get(id)
    // Every form of export (`export`, `exports.x =`, `module.exports =`) contains the word: a file
    // without it, such as a test or a script, exports nothing and needs no parse.
    if (symbols === undefined && !content.includes('export')) symbols = []
    if (symbols === undefined) {
      const typescript = await loadTypeScript()
      this.options.onParse?.(path)
      symbols = exportedSymbols(typescript, path, content.toString('utf8'))
      this.symbols.set(id, symbols)
      this.parsed++
    }
    this.used.add(id)
    return symbols
  }
}

/**
 * A regular file's size, and its content when it is at most `maxBytes` long: one open, one fstat and one
 * read. Undefined for a symbolic link (not followed), anything else that is not a regular file, and a
 * file that cannot be read.
 */
function readRegularFile(file: string, maxBytes: number): { size: number; content?: Buffer } | undefined {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch {
    return undefined
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return undefined
    if (stats.size > maxBytes) return { size: stats.size }
    const content = Buffer.allocUnsafe(stats.size)
    let filled = 0
    while (filled < content.length) {
      const count = readSync(fd, content, filled, content.length - filled, filled)
      if (count === 0) break
      filled += count
    }
    return { size: filled, content: content.subarray(0, filled) }
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

function statOf(file: string): Stats | undefined {
  try {
    return lstatSync(file)
  } catch {
    return undefined
  }
}

/** Writes both caches; one that cannot be written (a read-only checkout) is skipped. */
async function saveCaches(root: string, cache: MapCache, builder: FileBuilder): Promise<void> {
  try {
    const dir = await stateDir(root, 'cache')
    await writeMapCache(dir, cache)
    if (builder.parsed > 0) await writeSymbolCache(dir, builder.symbols, builder.used)
  } catch {
    // The map is right without its cache; the next build rebuilds what it needs.
  }
}
