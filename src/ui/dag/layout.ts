import type { StageView } from '../store/types.js'
import { createCanvas, hline, link, LEFT, RIGHT, toRows, vline, write, type Canvas } from './canvas.js'
import { layerGraph, type LayeredGraph } from './graph.js'
import {
  EDGE_STYLE,
  firstLine,
  labelWidth,
  rowWidth,
  secondLine,
  stageLabel,
  type Row,
  type StageLabel,
} from './label.js'
import { layoutList } from './list.js'
import { fitWidths, routeGap, rowOf, SLOT_ROWS, type Gap } from './routes.js'

export type { Row, Segment } from './label.js'
export { duration as formatDuration } from '../format.js'

/** What the DAG panel draws: the stages in workflow order, at a width, at a moment, on a frame of the spinner. */
export interface DagInput {
  stages: readonly StageView[]
  /** Columns available; no row is longer. */
  width: number
  /** The current time (ms since epoch), for the elapsed time of running stages. */
  now: number
  /** The animation frame, which turns the spinner of running stages. */
  frame: number
}

/** Below this many columns a stage box is unreadable, and the panel falls back to a list. */
const MIN_COLUMN = 8
/** A stage box never takes more than this, so one long id does not push the others out. */
const MAX_COLUMN = 30
/** Gap columns besides its connector lanes: separator, lead, arrow, space. */
const GAP_BASE = 4
/** The most the lead of an arrow grows when there is room to spare. */
const MAX_EXTRA_LEAD = 3

/**
 * Lays the workflow out as rows of styled text: layers as columns left to right, parallel stages
 * stacked in a column, box-drawn arrows between layers with visible fan-out and fan-in, and long
 * edges carried through the layers they skip. Falls back to an indented list when even truncated
 * boxes would not fit. Pure, so the panel re-runs it on every frame and tests read its output.
 */
export function layoutDag({ stages, width, now, frame }: DagInput): Row[] {
  if (stages.length === 0 || width <= 0) return []
  const graph = layerGraph(stages)
  const gaps = graph.layers.slice(0, -1).map((_, i) => routeGap(graph, i))
  const labels = new Map(stages.map((s) => [s.id, stageLabel(s, now, frame)]))
  const wanted = graph.layers.map((layer) =>
    Math.min(MAX_COLUMN, Math.max(1, ...layer.map((key) => widthOf(labels.get(key))))),
  )
  const fixed = gaps.reduce((sum, gap) => sum + GAP_BASE + gap.lanes, 0)
  const widths = fitWidths(wanted, width - fixed, MIN_COLUMN)
  if (!widths) return layoutList(stages, width, now, frame)
  const spare = width - fixed - widths.reduce((a, b) => a + b, 0)
  const extra = gaps.length === 0 ? 0 : Math.min(MAX_EXTRA_LEAD, Math.floor(spare / gaps.length))
  const canvas = createCanvas((graph.height - 1) * SLOT_ROWS + 2, width)
  let x = 0
  graph.layers.forEach((layer, i) => {
    const cw = widths[i] ?? MIN_COLUMN
    const ends = new Map<string, number>()
    for (const key of layer) {
      const stage = graph.nodes.get(key)?.stage
      const label = stage && labels.get(stage.id)
      const y = rowOf(graph, key)
      if (!label) {
        ends.set(key, x)
        continue
      }
      const line = firstLine(label, cw)
      write(canvas, y, x, line)
      write(canvas, y + 1, x, secondLine(label, cw))
      ends.set(key, x + rowWidth(line) + 1)
    }
    const gap = gaps[i]
    if (gap) x = drawGap(canvas, graph, gap, ends, x + cw, 1 + extra)
  })
  return toRows(canvas)
}

function widthOf(label: StageLabel | undefined): number {
  return label ? labelWidth(label) : 1
}

/**
 * Draws the connectors of the gap that starts at column `start`: each source's line runs from the
 * end of its text to its lane (or straight on), lanes run vertically over their rows, and each
 * target gets a line from the lane ending in ► (a waypoint gets a plain line instead). Returns
 * the column where the next layer starts.
 */
function drawGap(
  canvas: Canvas,
  graph: LayeredGraph,
  gap: Gap,
  ends: ReadonlyMap<string, number>,
  start: number,
  lead: number,
): number {
  const arrow = start + 1 + lead + gap.lanes
  for (const route of gap.routes) {
    const lane = route.lane === undefined ? undefined : start + 1 + lead + route.lane
    for (const key of route.sources) {
      const y = rowOf(graph, key)
      hline(canvas, y, ends.get(key) ?? start, (lane ?? arrow) - 1)
      if (lane !== undefined) link(canvas, y, lane, LEFT)
    }
    if (lane !== undefined) vline(canvas, lane, route.top, route.bottom)
    for (const key of route.targets) {
      const y = rowOf(graph, key)
      if (lane !== undefined) {
        link(canvas, y, lane, RIGHT)
        hline(canvas, y, lane + 1, arrow - 1)
      }
      if (graph.nodes.get(key)?.stage) write(canvas, y, arrow, [{ text: '►', ...EDGE_STYLE }])
      else hline(canvas, y, arrow, arrow + 1)
    }
  }
  return arrow + 2
}
