import { closeSync, openSync, readSync } from 'node:fs'
import { userError } from '../errors.js'
import type { ScoredEvent } from './visits.js'

/**
 * The event types the evaluation reads. Lines of any other type (diffs, contexts, tool calls, and
 * types added later) are skipped without being parsed.
 */
const READ: ReadonlySet<string> = new Set<ScoredEvent['type']>([
  'run.started',
  'run.finished',
  'stage.started',
  'stage.passed',
  'stage.failed',
  'stage.discarded',
  'gate.requested',
  'gate.answered',
  'escalation.ruled',
  'integration.finished',
  'agent.attempt_started',
  'agent.output_received',
  'agent.violations',
  'agent.accepted',
  'agent.failed',
])

/**
 * The leading fields of events that carry a whole output after them, as the log writes them. Only
 * these fields are read; a line whose fields come in another order is parsed whole.
 */
const HEADS: Record<string, RegExp> = {
  'stage.passed': /^"stage":"([^"\\]*)","agent":"([^"\\]*)","visit":(\d+)[,}]/,
  'gate.requested': /^"gate_id":"([^"\\]*)","stage":"([^"\\]*)","agent":"([^"\\]*)","visit":(\d+)[,}]/,
}
/** Bytes of a line's head decoded to read those fields. */
const HEAD_BYTES = 400

const NEWLINE = 0x0a
const QUOTE = 0x22
const TYPE_KEY = Buffer.from('"type":"')
/** The writer puts `type` right after `v`, `seq` and `ts`; further in, the line is parsed whole. */
const TYPE_WITHIN = 80

/** One buffer reused by every read: the reading and parsing of a file never yields to other work. */
let buffer = Buffer.allocUnsafe(1 << 20)

/**
 * Reads a run's events.jsonl for scoring and reporting, quickly: lines of types the evaluation
 * ignores are skipped without being decoded, and of the events that carry a whole output
 * (stage.passed, gate.requested) only the leading fields are read, so their `output` is undefined.
 * Lines are checked only as far as they are read: a torn last line is left out, and a line the
 * evaluation reads that is not JSON is EVENT_LOG_CORRUPT; skipped lines are not checked (`macds
 * resume` and `macds status` read logs strictly). The file is
 * read synchronously into a reused buffer: for logs of tens of kilobytes, the thread-pool round trips
 * of an asynchronous read cost several times the read itself, and a report reads a thousand of them.
 */
export async function readScoredEvents(file: string): Promise<ScoredEvent[]> {
  const length = readWhole(file)
  const events: ScoredEvent[] = []
  let start = 0
  let line = 0
  while (start < length) {
    let end = buffer.indexOf(NEWLINE, start)
    const torn = end === -1 || end >= length
    if (torn) end = length
    line++
    const event = parseLine(start, end)
    if (event === undefined && !torn) throw corrupt(file, line)
    if (event !== undefined && event !== null) events.push(event)
    start = end + 1
  }
  return events
}

/** Reads a whole file into the shared buffer, growing it as needed; returns the length read. */
function readWhole(file: string): number {
  const fd = openSync(file, 'r')
  try {
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(bigger, 0, 0, length)
        buffer = bigger
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) return length
      length += read
    }
  } finally {
    closeSync(fd)
  }
}

/** The event on a line; null for a line of a skipped type, undefined for a line that is not JSON. */
function parseLine(start: number, end: number): ScoredEvent | null | undefined {
  const at = buffer.indexOf(TYPE_KEY, start)
  if (at !== -1 && at < end && at - start < TYPE_WITHIN) {
    const from = at + TYPE_KEY.length
    const close = buffer.indexOf(QUOTE, from)
    const type = buffer.toString('latin1', from, close)
    if (!READ.has(type)) return null
    const head = HEADS[type]
    const m = head?.exec(buffer.toString('utf8', close + 2, Math.min(end, close + 2 + HEAD_BYTES)))
    if (m) return headEvent(type, m)
  }
  let event: ScoredEvent
  try {
    event = JSON.parse(buffer.toString('utf8', start, end)) as ScoredEvent
  } catch {
    return undefined
  }
  return READ.has(event.type) ? event : null
}

function headEvent(type: string, m: RegExpExecArray): ScoredEvent {
  if (type === 'gate.requested') {
    const [, gate_id = '', stage = '', agent = ''] = m
    return { type, gate_id, stage, agent, visit: Number(m[4]), output: undefined, summary: '' }
  }
  return {
    type: 'stage.passed',
    stage: m[1] ?? '',
    agent: m[2] ?? '',
    visit: Number(m[3]),
    output: undefined,
  }
}

function corrupt(file: string, line: number) {
  return userError(
    'EVENT_LOG_CORRUPT',
    `The event log ${file} is damaged at line ${line}: it is not valid JSON.`,
    'Only a torn last line is tolerated; `macds resume` reports and repairs what it can.',
  )
}
