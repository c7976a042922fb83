import { createHash } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RepoFile, RepoMap, RepoSymbol } from './types.js'

/** Bump when the map's shape or the symbol extraction changes: older cache files are then ignored. */
const CACHE_VERSION = 1
const MAP_FILE = 'repo-map.json'
const SYMBOLS_FILE = 'repo-symbols.json'

/** The last map built, the state of the index it was built from, and its parse cap. */
export interface MapCache {
  key: string
  maxParseBytes: number
  map: RepoMap
}

/**
 * The key of the whole-map cache: a hash of the `git ls-files -s` listing (mode, blob id, stage and path
 * of every index entry).
 *
 * Why this and not a tree id: the build needs the listing anyway, so the key costs no extra git call;
 * it changes with the index, so staged but uncommitted edits and newly added files are seen; it works in
 * a repository without commits. `git write-tree` would write tree objects into the repository, and
 * `git rev-parse HEAD^{tree}` describes the last commit, so it would need a second check that the index
 * matches it and would miss every staged change. Edits not yet staged do not change the key; the build
 * asks `git diff-files` for them separately.
 */
export function mapCacheKey(listing: Buffer): string {
  return createHash('sha1').update(listing).digest('hex')
}

/**
 * The cached map in `dir`, or undefined when there is none, it is unreadable, from another version, or
 * built with another parse cap.
 */
export async function readMapCache(dir: string, maxParseBytes: number): Promise<MapCache | undefined> {
  const data = await readJson(join(dir, MAP_FILE))
  if (!isRecord(data) || data['version'] !== CACHE_VERSION || typeof data['key'] !== 'string')
    return undefined
  if (data['maxParseBytes'] !== maxParseBytes) return undefined
  const map = data['map']
  if (!isRecord(map) || typeof map['root'] !== 'string' || !Array.isArray(map['files'])) return undefined
  if (!map['files'].every(isRepoFile)) return undefined
  return { key: data['key'], maxParseBytes, map: map as unknown as RepoMap }
}

/**
 * Symbols by blob id (the id git gives the file's content), for every file parsed recently: a file
 * whose content was seen before is not parsed again, whatever its path. Empty when there is no usable file.
 */
export async function readSymbolCache(dir: string): Promise<Map<string, RepoSymbol[]>> {
  const data = await readJson(join(dir, SYMBOLS_FILE))
  const symbols = new Map<string, RepoSymbol[]>()
  if (!isRecord(data) || data['version'] !== CACHE_VERSION || !isRecord(data['symbols'])) return symbols
  for (const [blob, list] of Object.entries(data['symbols']))
    if (Array.isArray(list) && list.every(isSymbol)) symbols.set(blob, list)
  return symbols
}

/** Writes the map cache; each file is replaced atomically, so a concurrent reader sees old or new. */
export async function writeMapCache(dir: string, cache: MapCache): Promise<void> {
  await writeJson(join(dir, MAP_FILE), { version: CACHE_VERSION, ...cache })
}

/**
 * Writes the symbol cache: the blobs in `keep` first, then other known ones up to as many again, so that
 * going back and forth between two branches does not parse their differing files each time.
 */
export async function writeSymbolCache(
  dir: string,
  symbols: Map<string, RepoSymbol[]>,
  keep: Set<string>,
): Promise<void> {
  const kept: Record<string, RepoSymbol[]> = {}
  let room = Math.max(keep.size, 1000)
  for (const blob of keep) {
    const list = symbols.get(blob)
    if (list !== undefined) kept[blob] = list
  }
  for (const [blob, list] of symbols) {
    if (room === 0) break
    if (keep.has(blob)) continue
    kept[blob] = list
    room--
  }
  await writeJson(join(dir, SYMBOLS_FILE), { version: CACHE_VERSION, symbols: kept })
}

/**
 * The id git gives a blob with this content in a SHA-1 repository, clean filters aside: the SHA-1 of a
 * header and the bytes. In a SHA-256 repository it is still a sound key for the symbol cache, only
 * never equal to an index blob id.
 */
export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'))
  } catch {
    return undefined // missing or corrupt: the caller rebuilds
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, JSON.stringify(value))
  await rename(temporary, file)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isRepoFile(value: unknown): value is RepoFile {
  return (
    isRecord(value) &&
    typeof value['path'] === 'string' &&
    typeof value['size'] === 'number' &&
    typeof value['blob'] === 'string' &&
    (value['symbols'] === undefined || (Array.isArray(value['symbols']) && value['symbols'].every(isSymbol)))
  )
}

function isSymbol(value: unknown): value is RepoSymbol {
  return isRecord(value) && typeof value['name'] === 'string' && typeof value['kind'] === 'string'
}
