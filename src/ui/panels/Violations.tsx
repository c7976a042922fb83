import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'
import { window } from './window.js'

const SEVERITY_COLOR = { error: 'red', warning: 'yellow', info: 'blue' } as const

/** Contract violations, newest first: severity, rule, agent, message and the suggested fix. Enter shows where. */
export function Violations({ height }: { height: number }) {
  const violations = useSupervisor((s) => s.violations)
  const cursor = useSupervisor((s) => s.cursor.violations ?? 0)
  const width = useSupervisor((s) => s.size.columns)
  if (violations.length === 0) return <Text dimColor>No violations yet.</Text>
  const rows = Math.max(1, Math.floor(height / 2))
  const { start, items } = window(violations, cursor, rows)
  return (
    <Box flexDirection="column">
      {items.map((v, i) => (
        <Box key={v.key} flexDirection="column">
          <Text inverse={start + i === cursor}>
            <Text color={SEVERITY_COLOR[v.severity]}>{v.severity.padEnd(8)}</Text>
            {fit(
              `${v.rule_id} ${v.agent}/${v.stage}: ${v.message}${v.repaired ? ' (sent back for repair)' : ''}`,
              width - 10,
            )}
          </Text>
          <Text dimColor>{fit(`        fix: ${v.suggested_fix}`, width - 2)}</Text>
        </Box>
      ))}
    </Box>
  )
}
