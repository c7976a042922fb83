import { checkPolicy, checkRelative, openInside } from './paths.js'
import { ok, refused, type ToolContext, type ToolResult } from './types.js'

/** At most this many lines are returned by one call. */
export const READ_MAX_LINES = 400
/** At most this many bytes of text are returned by one call. */
export const READ_MAX_BYTES = 32 * 1024
/** Longer lines are cut (minified code would otherwise fill a whole answer). */
export const READ_MAX_LINE_CHARS = 2000
/** Larger files are refused; search finds lines in them. */
export const READ_MAX_FILE_BYTES = 16 * 1024 * 1024
/** Git's test for binary content: a NUL byte in the first 8,000 bytes. */
const BINARY_PROBE_BYTES = 8000

export interface ReadFileArgs {
  path: string
  from_line?: number | null
  to_line?: number | null
}

/**
 * `read_file`: lines `from_line`..`to_line` (1-based, inclusive; default the whole file) of a text file
 * of the work tree, each prefixed with its number, at most READ_MAX_LINES lines or READ_MAX_BYTES at a
 * time; a cut answer ends by saying where to continue. Paths go through every guard of `paths.ts`.
 */
export async function readFileTool(args: ReadFileArgs, context: ToolContext): Promise<ToolResult> {
  const from = args.from_line ?? 1
  const to = args.to_line ?? undefined
  if (from < 1 || (to !== undefined && to < 1))
    return refused('Line numbers start at 1: give from_line and to_line as 1 or more, or null.')
  const checked = checkRelative(args.path, 'path')
  if (!checked.ok) return refused(checked.error)
  const path = checked.value
  if (path === '')
    return refused(
      '"." is the work tree root, a directory. Call list_files with the glob "**" to see its files.',
    )
  const allowed = checkPolicy(context.read, path)
  if (!allowed.ok) return refused(allowed.error)
  const opened = await openInside(context.root, path, context.read)
  if (!opened.ok) return refused(opened.error)
  const { handle, stats } = opened.value
  let bytes: Buffer
  try {
    if (stats.size > READ_MAX_FILE_BYTES)
      return refused(
        `"${path}" is too large to read (${mib(stats.size)} MiB; the limit is ${mib(READ_MAX_FILE_BYTES)} MiB). Call search with a pattern and the glob "${path}" to find the lines you need.`,
      )
    bytes = await handle.readFile({ signal: context.signal })
  } finally {
    await handle.close()
  }
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0))
    return refused(`"${path}" is a binary file (it contains NUL bytes); only text files can be read.`)
  return numberedLines(path, splitLines(bytes), from, to)
}

function splitLines(bytes: Buffer): string[] {
  const text = new TextDecoder('utf-8').decode(bytes)
  if (text === '') return []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}

function numberedLines(path: string, lines: string[], from: number, to: number | undefined): ToolResult {
  const total = lines.length
  if (total === 0) return ok(`"${path}" is empty.`)
  if (from > total) return refused(`from_line ${from} is past the end: "${path}" has ${total} lines.`)
  if (to !== undefined && to < from) return refused(`to_line (${to}) is before from_line (${from}).`)
  const last = Math.min(to ?? total, total)
  const out: string[] = []
  let size = 0
  let n = from
  for (; n <= last && out.length < READ_MAX_LINES; n++) {
    const line = `${n}: ${cut(lines[n - 1] ?? '')}`
    size += Buffer.byteLength(line) + 1
    if (size > READ_MAX_BYTES && out.length > 0) break
    out.push(line)
  }
  const shown = n - 1
  const header = `${path} (lines ${from}-${shown} of ${total})`
  if (shown === last) return ok([header, ...out].join('\n'))
  const footer = `[Cut at line ${shown}: one call returns at most ${READ_MAX_LINES} lines or ${READ_MAX_BYTES / 1024} KiB. Call read_file with from_line ${shown + 1} for the rest.]`
  return ok([header, ...out, footer].join('\n'))
}

function cut(line: string): string {
  if (line.length <= READ_MAX_LINE_CHARS) return line
  return `${line.slice(0, READ_MAX_LINE_CHARS)} [line cut: ${line.length} characters]`
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')
}
