import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'

/** Each contract's status and version in force; e edits one, and its reload (or rejection) shows here. */
export function Contracts() {
  const contracts = useSupervisor((s) => s.contracts)
  const cursor = useSupervisor((s) => s.cursor.contracts ?? 0)
  const width = useSupervisor((s) => s.size.columns)
  return (
    <Box flexDirection="column">
      {contracts.map((c, i) => (
        <Box key={c.name} flexDirection="column">
          <Text inverse={i === cursor}>
            <Text color={c.status === 'valid' ? 'green' : 'red'}>{c.status === 'valid' ? '✓' : '✗'} </Text>
            {fit(`${c.name.padEnd(16)} ${(c.version ?? '—').padEnd(8)} ${c.issue ?? ''}`, width - 4)}
          </Text>
          {c.note ? (
            <Text color={c.status === 'valid' ? 'cyan' : 'yellow'}>{fit(`  ${c.note}`, width - 2)}</Text>
          ) : null}
        </Box>
      ))}
    </Box>
  )
}
