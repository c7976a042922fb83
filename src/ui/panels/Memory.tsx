import { Box, Text } from 'ink'
import { MEMORY_SCOPES } from '../../core/memory/types.js'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'

/** Notes per scope, and the strongest notes with their strength now. */
export function Memory({ height }: { height: number }) {
  const memory = useSupervisor((s) => s.memory)
  const width = useSupervisor((s) => s.size.columns)
  return (
    <Box flexDirection="column">
      <Text>{MEMORY_SCOPES.map((scope) => `${scope} ${memory.counts[scope]}`).join('   ')}</Text>
      {memory.strongest.slice(0, Math.max(0, height - 1)).map((m) => (
        <Text key={m.id}>
          <Text color="cyan">{m.strength.toFixed(2)} </Text>
          {fit(`${m.scope.padEnd(8)} ${m.agent.padEnd(15)} ${m.text}`, width - 7)}
        </Text>
      ))}
    </Box>
  )
}
