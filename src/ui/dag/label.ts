import type { StageView } from '../store/types.js'
import { duration } from '../format.js'

/** A run of text in one style; a row of the DAG is a list of them, rendered as Ink <Text>. */
export interface Segment {
  text: string
  color?: string
  bold?: boolean
  dim?: boolean
}

/** One line of the DAG panel. */
export type Row = Segment[]

/** The style of connectors and arrows, so that they recede behind the stages. */
export const EDGE_STYLE = { color: 'gray' } as const

/** The colour of the `↺N` mark of a stage failure routing re-opened. */
const LOOP_COLOR = 'cyan'

const SPINNER = [...'⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏']

/** The length of a string in terminal columns; every glyph the DAG uses is one column wide. */
export function columns(text: string): number {
  return [...text].length
}

/** `text` cut to `width` columns, ending in … when something was cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text]
  if (chars.length <= width) return text
  if (width <= 0) return ''
  return chars.slice(0, width - 1).join('') + '…'
}

/** The glyph and colour of a status; a running stage spins with the animation frame. */
export function statusMark(status: StageView['status'], frame: number): Segment {
  switch (status) {
    case 'pending':
      return { text: '○', color: 'gray' }
    case 'running':
      return { text: SPINNER[Math.abs(Math.floor(frame)) % SPINNER.length] ?? '⠋', color: 'yellow' }
    case 'awaiting_gate':
      return { text: '⏸', color: 'magenta' }
    case 'passed':
      return { text: '✓', color: 'green' }
    case 'failed':
      return { text: '✗', color: 'red' }
    case 'skipped':
      return { text: '–', color: 'gray', dim: true }
  }
}

/** How long the stage has taken: the running visit so far, or the last finished visit. */
function stageTime(stage: StageView, now: number): string | undefined {
  if (stage.status === 'pending' || stage.status === 'skipped') return undefined
  if (stage.status === 'running')
    return stage.started_at === undefined ? undefined : duration(now - stage.started_at)
  return stage.duration_ms === undefined ? undefined : duration(stage.duration_ms)
}

/** What a stage box says, before it is fitted to a width. */
export interface StageLabel {
  mark: Segment
  id: string
  /** ` ↺N` when failure routing re-opened the stage, so loops taken stay visible. */
  loops: string
  agent: string
  /** `#visit duration`, the part of the second line kept longest when space runs out. */
  tail: string
  /** The duration alone, empty when there is none to show. */
  took: string
  idStyle: Omit<Segment, 'text'>
}

/** The label of a stage at time `now`, for the layout and the list fallback alike. */
export function stageLabel(stage: StageView, now: number, frame: number): StageLabel {
  const mark = statusMark(stage.status, frame)
  const took = stageTime(stage, now)
  const tail = [stage.visit > 0 ? `#${stage.visit}` : '', took ?? ''].filter(Boolean).join(' ')
  const idStyle =
    stage.status === 'skipped' || stage.status === 'pending'
      ? { color: 'gray', dim: stage.status === 'skipped' }
      : stage.status === 'failed'
        ? { color: 'red' }
        : stage.status === 'running' || stage.status === 'awaiting_gate'
          ? { bold: true }
          : {}
  return {
    mark,
    id: stage.id,
    loops: stage.reopened > 0 ? ` ↺${stage.reopened}` : '',
    agent: stage.agent,
    tail,
    took: took ?? '',
    idStyle,
  }
}

/**
 * The width a label wants: its first line, or its second. Once a stage has run, its duration is
 * counted as at least five columns, so that a ticking clock does not shift the layout every second.
 */
export function labelWidth(label: StageLabel): number {
  const tail = label.tail
    ? columns(label.tail) + Math.max(0, 5 - columns(label.took)) + (label.took ? 0 : 1)
    : 0
  return Math.max(2 + columns(label.id) + columns(label.loops), columns(label.agent) + (tail ? 1 + tail : 0))
}

/** Whether the loop mark fits after the whole id; when it does not, it moves to the second line. */
function loopsFirst(label: StageLabel, width: number): boolean {
  return 2 + columns(label.id) + columns(label.loops) <= width
}

/** First line: `<glyph> <id> ↺N`, the id cut with … when the width is short. */
export function firstLine(label: StageLabel, width: number): Row {
  const loops = loopsFirst(label, width) ? label.loops : ''
  const row: Row = [
    label.mark,
    { text: ' ' },
    { text: truncate(label.id, width - 2 - columns(loops)), ...label.idStyle },
  ]
  if (loops) row.push({ text: loops, color: LOOP_COLOR })
  return clip(row, width)
}

/**
 * Second line: `<agent> #<visit> <duration>`, dim, led by `↺N` when the first line had no room for
 * it. As the width shrinks the agent is cut, then dropped, then the visit, so the clock stays in view.
 */
export function secondLine(label: StageLabel, width: number): Row {
  const loops = label.loops && !loopsFirst(label, width) ? `${label.loops.trim()} ` : ''
  const left = width - columns(loops)
  const { agent, tail, took } = label
  const room = left - (tail ? columns(tail) + 1 : 0)
  const choices = [
    [agent, tail].filter(Boolean).join(' '),
    room >= 4 ? `${truncate(agent, room)} ${tail}` : '',
    tail,
    took,
  ]
  const text = choices.find((c) => c && columns(c) <= left) ?? truncate(tail || agent, left)
  const row: Row = loops ? [{ text: loops, color: LOOP_COLOR }] : []
  if (text) row.push({ text, dim: true })
  return clip(row, width)
}

/** The columns a row takes. */
export function rowWidth(row: Row): number {
  return row.reduce((sum, s) => sum + columns(s.text), 0)
}

/** A row cut to `width` columns, whatever its segments hold. */
export function clip(row: Row, width: number): Row {
  const out: Row = []
  let left = Math.max(0, width)
  for (const segment of row) {
    if (left <= 0) break
    const text = [...segment.text].slice(0, left).join('')
    left -= columns(text)
    if (text) out.push({ ...segment, text })
  }
  return out
}
