import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'

const LEVEL_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const

/** The event stream, newest at the bottom; f shows one agent alone. */
export function Log({ height }: { height: number }) {
  const log = useSupervisor((s) => s.log)
  const agent = useSupervisor((s) => s.logAgent)
  const width = useSupervisor((s) => s.size.columns)
  const lines = agent ? log.filter((l) => l.agent === agent) : log
  const shown = lines.slice(Math.max(0, lines.length - Math.max(1, height - 1)))
  return (
    <Box flexDirection="column">
      <Text dimColor>{agent ? `only ${agent} (f: next agent)` : 'every agent (f: one agent only)'}</Text>
      {shown.map((l) => (
        <Text key={l.seq} color={LEVEL_COLOR[l.level]}>
          {fit(`${l.time} ${(l.agent ?? '').padEnd(14)} ${l.text}`, width - 2)}
        </Text>
      ))}
    </Box>
  )
}
