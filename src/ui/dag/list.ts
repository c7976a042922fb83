import type { StageView } from '../store/types.js'
import { layerOf } from './graph.js'
import { clip, columns, EDGE_STYLE, firstLine, rowWidth, secondLine, stageLabel, type Row } from './label.js'

/** Room the stage's own text keeps however deep the stage sits. */
const MIN_TEXT = 12

/**
 * The DAG as a list for narrow terminals: one stage per row in workflow order, indented by its
 * layer under a `└►`, with the agent, visit and duration after it while they fit.
 */
export function layoutList(stages: readonly StageView[], width: number, now: number, frame: number): Row[] {
  const layers = layerOf(stages)
  const maxDepth = Math.max(0, Math.floor((width - MIN_TEXT - 3) / 2))
  return stages.map((stage) => {
    const layer = layers.get(stage.id) ?? 0
    const prefix = layer === 0 ? '' : `${' '.repeat(2 * Math.min(layer - 1, maxDepth))}└► `
    const room = width - columns(prefix)
    const label = stageLabel(stage, now, frame)
    const head = firstLine(label, Math.min(room, 2 + columns(label.id) + columns(label.loops)))
    const rest = room - rowWidth(head) - 2
    const loopsShown = head.some((s) => s.text === label.loops)
    const detail = rest >= 4 ? secondLine({ ...label, loops: loopsShown ? '' : label.loops }, rest) : []
    const row: Row = [{ text: prefix, ...EDGE_STYLE }, ...head]
    if (detail.length > 0) row.push({ text: '  ' }, ...detail)
    return clip(
      row.filter((s) => s.text),
      width,
    )
  })
}
