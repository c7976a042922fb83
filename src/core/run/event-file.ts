import { close, fstat, open, read } from 'node:fs'
import { promisify } from 'node:util'
import { MacdsError, userError } from '../errors.js'

/** Every logged event carries these; the log assigns seq and ts. */
export interface LoggedEvent {
  v: 1
  seq: number
  ts: string
  type: string
  [key: string]: unknown
}

/** What a scan of a log file found: the last good event, whether a torn last line follows it, and where. */
export interface ScanResult {
  lastSeq: number
  torn: boolean
  /** Byte length of the good prefix: everything after it is the torn last line. */
  validBytes: number
  /** Byte length of the whole file as scanned. */
  bytes: number
}

/** The file calls of the log on plain descriptors: each costs one trip through the thread pool, no more. */
export const openFile = promisify(open)
export const closeFile = promisify(close)
const readChunk = promisify(read)
const statOf = promisify(fstat)

const NEWLINE = 0x0a
const CHUNK_BYTES = 2 * 1024 * 1024
const TAIL_BYTES = 64 * 1024
const NOT_JSON = Symbol('not JSON')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

/** Why a parsed line is not the event expected at that place (`seq` undefined: any positive seq). */
function problem(value: unknown, seq: number | undefined): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object'
  const event = value as Partial<LoggedEvent>
  if (event.v !== 1) return `its version is ${JSON.stringify(event.v)}, not 1`
  if (seq === undefined ? !Number.isSafeInteger(event.seq) || event.seq! < 1 : event.seq !== seq)
    return `its seq is ${JSON.stringify(event.seq)}, expected ${seq ?? 'a positive integer'}`
  if (typeof event.type !== 'string') return 'it has no string "type"'
  if (typeof event.ts !== 'string') return 'it has no string "ts"'
  return undefined
}

function corrupt(file: string, line: number, reason: string): MacdsError {
  return userError(
    'EVENT_LOG_CORRUPT',
    `The event log ${file} is damaged at line ${line}: ${reason}.`,
    `Only a torn last line (left by a crash) is repaired automatically; a bad line in the middle means ` +
      `the file was edited or the disk failed. To resume from the last good event, keep only the first ` +
      `${line - 1} lines (steps after it may be repeated), or start a new run.`,
  )
}

/** An I/O failure on the log as a MacdsError (passed through if it already is one). */
export function ioError(action: string, file: string, error: unknown): MacdsError {
  if (error instanceof MacdsError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new MacdsError('EVENT_LOG_IO', `Could not ${action} the event log ${file}: ${message}`, {
    kind: 'external',
    hint: 'Check that the disk is not full and that the run directory is readable and writable.',
    cause: error,
  })
}

/**
 * Reads a whole log through the descriptor `fd` in chunks, calling `onEvent` for each good event in order.
 * A torn last line (no trailing newline, or not JSON) is skipped and reported; any other bad line
 * throws EVENT_LOG_CORRUPT. Shared by {@link readEventLog} and by the writer when it reopens a log.
 */
export async function scanEventLog(
  fd: number,
  file: string,
  onEvent: (event: LoggedEvent) => void,
  chunkBytes = CHUNK_BYTES,
): Promise<ScanResult> {
  let position = 0 // file offset of the next read
  let lineStart = 0 // file offset just after the last newline seen
  let line = 0
  let lastSeq = 0
  let notJson: { line: number; start: number } | undefined // fine only if it turns out to be the last line
  // One reused buffer (fresh large buffers per chunk make a replay markedly slower through GC). Its first
  // `kept` bytes are the start of a line whose newline is not read yet; it doubles for longer lines.
  let buffer = Buffer.allocUnsafe(chunkBytes)
  let kept = 0
  for (;;) {
    if (kept === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(bigger, 0, 0, kept)
      buffer = bigger
    }
    const { bytesRead } = await readChunk(fd, buffer, kept, buffer.length - kept, position)
    if (bytesRead === 0) break
    position += bytesRead
    const length = kept + bytesRead
    const end = buffer.lastIndexOf(NEWLINE, length - 1)
    if (end === -1) {
      kept = length
      continue
    }
    if (notJson) throw corrupt(file, notJson.line, 'it is not valid JSON')
    // A newline byte never occurs inside a UTF-8 sequence, so decoding up to it never splits a character.
    const lines = buffer.toString('utf8', 0, end).split('\n')
    for (let i = 0; i < lines.length; i++) {
      line++
      const value = parseJson(lines[i]!)
      if (value === NOT_JSON) {
        if (i < lines.length - 1) throw corrupt(file, line, 'it is not valid JSON')
        notJson = { line, start: lineStart + (end === 0 ? 0 : buffer.lastIndexOf(NEWLINE, end - 1) + 1) }
        continue
      }
      const reason = problem(value, lastSeq + 1)
      if (reason !== undefined) throw corrupt(file, line, reason)
      lastSeq++
      onEvent(value as LoggedEvent)
    }
    lineStart += end + 1
    kept = length - end - 1
    buffer.copy(buffer, 0, end + 1, length)
  }
  if (notJson) {
    if (kept > 0) throw corrupt(file, notJson.line, 'it is not valid JSON')
    return { lastSeq, torn: true, validBytes: notJson.start, bytes: position }
  }
  return { lastSeq, torn: kept > 0, validBytes: lineStart, bytes: position }
}

/**
 * Finds where a log ends without reading all of it: looks at its last 64 KiB and falls back to a
 * full {@link scanEventLog} only when the last complete line is not a good event or does not fit.
 */
export async function scanEventLogEnd(fd: number, file: string): Promise<ScanResult> {
  const { size } = await statOf(fd)
  if (size === 0) return { lastSeq: 0, torn: false, validBytes: 0, bytes: 0 }
  const length = Math.min(size, TAIL_BYTES)
  const start = size - length
  const tail = Buffer.allocUnsafe(length)
  for (let got = 0; got < length;) {
    const { bytesRead } = await readChunk(fd, tail, got, length - got, start + got)
    if (bytesRead === 0) break // the file shrank under us: let the full scan sort it out
    got += bytesRead
  }
  const end = tail.lastIndexOf(NEWLINE)
  const before = end > 0 ? tail.lastIndexOf(NEWLINE, end - 1) : -1
  if (end > 0 && (before !== -1 || start === 0)) {
    const value = parseJson(tail.toString('utf8', before + 1, end))
    const firstLine = start === 0 && before === -1
    if (value !== NOT_JSON && problem(value, firstLine ? 1 : undefined) === undefined) {
      const last = value as LoggedEvent
      return { lastSeq: last.seq, torn: end < length - 1, validBytes: start + end + 1, bytes: size }
    }
  }
  return scanEventLog(fd, file, () => undefined)
}

/**
 * Reads a run's log to rebuild its state. A torn LAST line (no trailing newline, or not valid JSON),
 * as a crash can leave, is left out and reported as `torn`; a bad line anywhere else is EVENT_LOG_CORRUPT
 * naming the line. A missing file is EVENT_LOG_MISSING. `chunkBytes` exists for tests.
 */
export async function readEventLog(
  file: string,
  options: { chunkBytes?: number } = {},
): Promise<{ events: LoggedEvent[]; torn: boolean }> {
  const events: LoggedEvent[] = []
  const { torn } = await replayEventLog(file, (event) => events.push(event), options)
  return { events, torn }
}

/**
 * Like {@link readEventLog}, but hands each event to `onEvent` in order instead of keeping them all:
 * for folding a long log into a state without holding every event in memory.
 */
export async function replayEventLog(
  file: string,
  onEvent: (event: LoggedEvent) => void,
  options: { chunkBytes?: number } = {},
): Promise<{ lastSeq: number; torn: boolean }> {
  let fd: number
  try {
    fd = await openFile(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw userError(
        'EVENT_LOG_MISSING',
        `There is no event log at ${file}.`,
        'Check the run id: each run keeps its log in .macds/runs/<run-id>/events.jsonl.',
        error,
      )
    throw ioError('open', file, error)
  }
  try {
    const { lastSeq, torn } = await scanEventLog(fd, file, onEvent, options.chunkBytes)
    return { lastSeq, torn }
  } catch (error) {
    throw ioError('read', file, error)
  } finally {
    await closeFile(fd)
  }
}
