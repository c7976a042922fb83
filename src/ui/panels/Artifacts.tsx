import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'

/** The six artifacts: owner, versions, last change. Enter lists one artifact's commits. */
export function Artifacts() {
  const artifacts = useSupervisor((s) => s.artifacts)
  const cursor = useSupervisor((s) => s.cursor.artifacts ?? 0)
  const width = useSupervisor((s) => s.size.columns)
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {'ARTIFACT'.padEnd(22)}
        {'OWNER'.padEnd(11)}VERSIONS LAST CHANGE
      </Text>
      {artifacts.map((a, i) => (
        <Text key={a.name} inverse={i === cursor}>
          {fit(
            `${a.name.padEnd(22)}${a.owner.padEnd(11)}${String(a.versions).padStart(8)}  ${a.last ? `${a.last.time.slice(0, 16).replace('T', ' ')} ${a.last.subject}` : '—'}`,
            width - 2,
          )}
        </Text>
      ))}
    </Box>
  )
}
