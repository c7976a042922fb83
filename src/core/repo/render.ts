import { estimateTokens } from './tokens.js'
import type { RepoFile, RepoMap, RepoSymbol } from './types.js'

/** Options of `renderRepoMap`. */
export interface RenderOptions {
  /** The most tokens the text may cost, as `estimateTokens` counts them. */
  maxTokens: number
}

/** A rendered map: the text, its estimated tokens, and how many of the map's files it lists. */
export interface RenderedRepoMap {
  text: string
  tokens: number
  files_shown: number
  files_total: number
}

/**
 * A compact listing of a map for a prompt, one line per file in path order
 * (`src/a.ts 1.2 KB: function run, class Runner`), that fits `maxTokens`. When the whole map does not
 * fit, the deepest files go first, and the longest lines among equally deep ones, and a last line says
 * how many files were left out. With a budget too small even for that line the text is empty.
 */
export function renderRepoMap(map: RepoMap, options: RenderOptions): RenderedRepoMap {
  const total = map.files.length
  const lines = map.files.map(fileLine)
  const maxChars = Math.max(0, Math.floor(options.maxTokens)) * 4
  const all = lines.reduce((sum, line) => sum + line.length + 1, 0)
  if (all <= maxChars) return rendered(lines.join(''), total, total)

  const order = lines.map((_, i) => i).sort((a, b) => keepFirst(map.files, lines, a, b))
  let room = maxChars - leftOutLine(total, total).length
  const shown = new Set<number>()
  for (const i of order) {
    const cost = lines[i]!.length
    if (cost > room) break
    room -= cost
    shown.add(i)
  }
  if (room < 0) return rendered('', 0, total)
  const kept = lines.filter((_, i) => shown.has(i))
  return rendered(kept.join('') + leftOutLine(total - shown.size, total), shown.size, total)
}

function rendered(text: string, shown: number, total: number): RenderedRepoMap {
  return { text, tokens: estimateTokens(text), files_shown: shown, files_total: total }
}

/** Shallow files before deep ones, then short lines before long ones, then by path. */
function keepFirst(files: RepoFile[], lines: string[], a: number, b: number): number {
  return depth(files[a]!.path) - depth(files[b]!.path) || lines[a]!.length - lines[b]!.length || a - b
}

function depth(path: string): number {
  let slashes = 0
  for (const char of path) if (char === '/') slashes++
  return slashes
}

function leftOutLine(count: number, total: number): string {
  return `(${count} of ${total} files left out)\n`
}

function fileLine(file: RepoFile): string {
  const state = file.changed === 'deleted' ? ' (deleted)' : file.changed === 'modified' ? ' (modified)' : ''
  const head =
    file.changed === 'deleted' ? `${file.path}${state}` : `${file.path} ${formatSize(file.size)}${state}`
  if (file.skipped === 'too_large') return `${head} (too large to parse)\n`
  if (file.symbols === undefined || file.symbols.length === 0) return `${head}\n`
  return `${head}: ${file.symbols.map(formatSymbol).join(', ')}\n`
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function formatSymbol(symbol: RepoSymbol): string {
  switch (symbol.kind) {
    case 're-export':
      return symbol.from === undefined ? symbol.name : `${symbol.name} from ${symbol.from}`
    case 'default':
      return symbol.name === 'default' ? 'default' : `default ${symbol.name}`
    case 'variable':
      return `var ${symbol.name}`
    default:
      return `${symbol.kind} ${symbol.name}`
  }
}
