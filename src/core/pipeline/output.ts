import { isFailureLine } from './failure-lines.js'

/** A failure line is cut to this length: the head of the tail lists many of them. */
const MAX_FAILURE_LINE = 300

const ESC = '\u001b'
/** Colour and cursor escape sequences (CSI and OSC), which only cost characters in a prompt. */
const ANSI = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^\\u0007${ESC}]*(?:\\u0007|${ESC}\\\\)`, 'g')

/** What a step printed, in bounded memory: its failure lines and its last lines. */
export interface CollectedOutput {
  /** Failure and error lines in order, each with the character offset where it starts. */
  failures: { offset: number; text: string }[]
  /** The last lines, oldest first. */
  tail: string[]
  /** Characters of the whole output (lines joined by newlines). */
  totalChars: number
}

/**
 * Keeps what the output tail is built from while a command prints: the failure lines (up to
 * `budget` characters of them) and about `budget` characters of the last lines. Everything else
 * only goes to the log.
 */
export class OutputCollector {
  private readonly failures: { offset: number; text: string }[] = []
  private failureChars = 0
  private lines: string[] = []
  private first = 0
  private tailChars = 0
  private offset = 0

  constructor(private readonly budget: number) {}

  /** Adds one line of output (without its newline). */
  add(raw: string): void {
    const line = clean(raw)
    if (this.failureChars < this.budget && isFailureLine(line)) {
      const text = line.trim().slice(0, MAX_FAILURE_LINE)
      this.failures.push({ offset: this.offset, text })
      this.failureChars += text.length + 1
    }
    this.offset += line.length + 1
    const kept = line.length > this.budget ? line.slice(-this.budget) : line
    this.lines.push(kept)
    this.tailChars += kept.length + 1
    while (this.tailChars > this.budget + 1 && this.lines.length - this.first > 1) {
      this.tailChars -= (this.lines[this.first] ?? '').length + 1
      this.first += 1
    }
    if (this.first > 1024 && this.first * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.first)
      this.first = 0
    }
  }

  /** What has been collected so far. */
  collected(): CollectedOutput {
    return {
      failures: [...this.failures],
      tail: this.lines.slice(this.first),
      totalChars: Math.max(0, this.offset - 1),
    }
  }
}

/** A line as a terminal would show it: no escape codes, only what follows the last carriage return. */
function clean(line: string): string {
  const text = line.replace(ANSI, '').replace(/\r+$/, '')
  const cr = text.lastIndexOf('\r')
  return cr >= 0 ? text.slice(cr + 1) : text
}

const FAILURES_HEADING = '--- failures and errors ---'
const TAIL_HEADING = '--- end of the output ---'
/** Below this room the headings would crowd out the output: only its end is shown. */
const MIN_SECTIONED = 200

/**
 * The output tail of a step within `budget` characters: `notes` (macds's own lines, such as a
 * timeout), then, when the output does not fit whole, the failure lines that the shown end does
 * not already contain (at most half the room), then as many last lines as fit. A budget too small
 * for both gets only the last lines.
 */
export function formatTail(output: CollectedOutput, budget: number, notes: readonly string[] = []): string {
  const head = notes.join('\n')
  const room = Math.max(0, budget - (head === '' ? 0 : head.length + 1))
  const body = bodyText(output, room)
  const text = head === '' ? body : body === '' ? head : `${head}\n${body}`
  return text.slice(0, budget)
}

function bodyText(output: CollectedOutput, room: number): string {
  if (output.totalChars <= room || room < MIN_SECTIONED) return lastChars(output.tail, room).join('\n')
  const sections = Math.max(0, room - FAILURES_HEADING.length - TAIL_HEADING.length - 2)
  const half = Math.floor(sections / 2)
  const guess = lastChars(output.tail, sections - pickLines(output.failures, half).chars)
  const failures = pickLines(output.failures.filter(inFront(output, guess)), half)
  const tail = lastChars(output.tail, sections - failures.chars)
  const shown = failures.lines.filter(inFront(output, tail)).map((line) => line.text)
  const end = [TAIL_HEADING, ...tail].join('\n')
  return shown.length > 0 ? [FAILURES_HEADING, ...shown, end].join('\n') : end
}

type FailureLine = CollectedOutput['failures'][number]

/** Failure lines that start before the shown end of the output. */
function inFront(output: CollectedOutput, shownTail: readonly string[]): (line: FailureLine) => boolean {
  const shownChars = shownTail.reduce((sum, line) => sum + line.length + 1, 0)
  const start = output.totalChars + 1 - shownChars
  return (line) => line.offset < start
}

/** The first failure lines that fit in `room` characters, each counted with its newline. */
function pickLines(lines: readonly FailureLine[], room: number): { lines: FailureLine[]; chars: number } {
  const picked: FailureLine[] = []
  let chars = 0
  for (const line of lines) {
    if (chars + line.text.length + 1 > room) break
    picked.push(line)
    chars += line.text.length + 1
  }
  return { lines: picked, chars }
}

/** The last lines whose newline-joined text fits in `room`; a last line too long keeps its end. */
function lastChars(lines: readonly string[], room: number): string[] {
  const picked: string[] = []
  let chars = 0
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? ''
    const cost = line.length + (picked.length > 0 ? 1 : 0)
    if (chars + cost > room) {
      if (picked.length === 0 && room > 0) picked.push(line.slice(-room))
      break
    }
    picked.push(line)
    chars += cost
  }
  return picked.reverse()
}
