import { Box, Text } from 'ink'
import { DIMENSIONS } from '../../core/evaluation/types.js'
import { useSupervisor } from '../context.js'
import { tokens } from '../format.js'
import type { AgentView } from '../store/types.js'

const STATUS_COLOR = { idle: 'gray', thinking: 'yellow', waiting: 'magenta' } as const
const SHORT = { correctness: 'C', efficiency: 'E', compliance: 'Co', cost: '$', stability: 'S' } as const

/** The seven agents: authority, autonomy against the thresholds, the five scores, status, tokens against budget. */
export function Agents() {
  const agents = useSupervisor((s) => s.agents)
  const thresholds = useSupervisor((s) => s.thresholds)
  const wide = useSupervisor((s) => s.size.columns >= 100)
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {'AGENT'.padEnd(15)}AUTH {'AUTONOMY'.padEnd(wide ? 27 : 17)}
        {wide ? 'SCORES C/E/Co/$/S    ' : ''}STATUS TOKENS
      </Text>
      {agents.map((a) => (
        <Box key={a.id}>
          <Text>{a.id.padEnd(15)}</Text>
          <Text>{String(a.authority).padStart(4)} </Text>
          <Text>{bar(a.autonomy, thresholds, wide ? 16 : 10)}</Text>
          <Text color={a.level === 'supervised' ? 'red' : a.level === 'trusted' ? 'green' : undefined}>
            {` ${a.autonomy.toFixed(2)} ${wide ? a.level.padEnd(10) : a.level.slice(0, 3).padEnd(4)}`}
          </Text>
          {wide ? <Text dimColor>{scores(a)} </Text> : null}
          <Text color={STATUS_COLOR[a.status]}>{a.status.padEnd(9)}</Text>
          <Text color={a.tokens > a.budget * 0.8 ? 'red' : undefined}>
            {tokens(a.tokens)}/{tokens(a.budget)}
          </Text>
        </Box>
      ))}
    </Box>
  )
}

/** Autonomy as a bar, with the low and high thresholds marked by │. */
export function bar(value: number, thresholds: { low: number; high: number }, width: number): string {
  const filled = Math.round(value * width)
  const low = Math.round(thresholds.low * width)
  const high = Math.round(thresholds.high * width)
  let text = ''
  for (let i = 0; i < width; i++) {
    if (i === low || i === high) text += i < filled ? '┃' : '│'
    else text += i < filled ? '█' : '·'
  }
  return text
}

function scores(agent: AgentView): string {
  return DIMENSIONS.map((d) => `${SHORT[d]}${Math.round(agent.scores[d])}`)
    .join(' ')
    .padEnd(20)
}
