import { Box, Text } from 'ink'
import { layoutDag } from '../dag/layout.js'
import type { StageView } from '../store/types.js'

/** What the DAG panel needs; the screen passes them so the panel stays a pure view of its props. */
export interface DagProps {
  stages: readonly StageView[]
  /** Columns the panel may use; no line is longer. */
  width: number
  /** The current time (ms since epoch), for the elapsed time of running stages. */
  now: number
  /** The animation frame, which turns the spinner of running stages. */
  frame: number
  /** Rows the panel may take; a longer graph (or list) is cut with a line saying how much is left out. */
  maxRows?: number
}

/**
 * The workflow as a graph of stages with their status, visits, durations and loops. Shown at the
 * top of the main screen so the run's progress is always in view; re-rendered on every frame tick.
 */
export function Dag({ stages, width, now, frame, maxRows = Infinity }: DagProps) {
  const all = layoutDag({ stages, width, now, frame })
  if (all.length === 0) return <Text dimColor>no workflow yet</Text>
  const rows = all.length > maxRows ? all.slice(0, Math.max(1, maxRows - 1)) : all
  return (
    <Box flexDirection="column">
      {rows.map((row, y) => (
        <Text key={y} wrap="truncate">
          {row.length === 0
            ? ' '
            : row.map((segment, i) => (
                <Text key={i} color={segment.color} bold={segment.bold} dimColor={segment.dim}>
                  {segment.text}
                </Text>
              ))}
        </Text>
      ))}
      {rows.length < all.length ? (
        <Text dimColor>… {all.length - rows.length} more rows of the workflow</Text>
      ) : null}
    </Box>
  )
}
