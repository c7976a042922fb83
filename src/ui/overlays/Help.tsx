import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'
import { KEY_TABLE, keyLabel } from '../keys/table.js'
import { keyMapWhere } from '../keys/key-map.js'

/** Every key, with where it works; generated from the key table, in as many columns as it takes to fit. */
export function Help({ height }: { height: number }) {
  const width = useSupervisor((s) => s.size.columns)
  const rows = Math.max(1, height - 1)
  const columns = Math.ceil(KEY_TABLE.length / rows)
  const columnWidth = Math.floor(width / columns)
  const cells = KEY_TABLE.map((b) => ({
    keys: keyLabel(b).padEnd(12),
    text: `${b.description} (${keyMapWhere(b.scope)})`,
  }))
  return (
    <Box flexDirection="column">
      <Text bold>Keys (escape closes)</Text>
      <Box>
        {Array.from({ length: columns }, (_, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {cells.slice(c * rows, (c + 1) * rows).map((cell, i) => (
              <Text key={i}>
                <Text color="cyan">{cell.keys}</Text>
                {fit(cell.text, columnWidth - 14)}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  )
}
