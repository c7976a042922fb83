import { Box, Text } from 'ink'
import { KEY_TABLE, keyLabel } from '../keys/table.js'

/** Every key, grouped by where it applies; generated from the key table. */
export function Help({ height }: { height: number }) {
  const lines: { scope: string; keys: string; description: string }[] = []
  for (const b of KEY_TABLE) lines.push({ scope: b.scope, keys: keyLabel(b), description: b.description })
  return (
    <Box flexDirection="column">
      <Text bold>Keys (escape closes)</Text>
      {lines.slice(0, height - 1).map((l, i) => (
        <Text key={i}>
          <Text color="cyan">{l.keys.padEnd(16)}</Text>
          <Text dimColor>{l.scope.padEnd(11)}</Text>
          {l.description}
        </Text>
      ))}
    </Box>
  )
}
