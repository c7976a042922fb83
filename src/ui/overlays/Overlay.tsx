import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'
import type { Overlay as OverlayValue } from '../store/types.js'
import { DiffLines } from './DiffLines.js'
import { Help } from './Help.js'

/** The overlay on top of the stack, drawn over the whole screen but the status and footer lines. */
export function Overlay({ overlay, height }: { overlay: OverlayValue; height: number }) {
  const width = useSupervisor((s) => s.size.columns)
  switch (overlay.kind) {
    case 'help':
      return <Help height={height} />
    case 'diff': {
      const lines = overlay.text.split('\n')
      const shown = lines.slice(overlay.scroll, overlay.scroll + height - 1)
      return (
        <Box flexDirection="column">
          <Text bold>
            {fit(
              `${overlay.title} · lines ${overlay.scroll + 1}-${overlay.scroll + shown.length} of ${lines.length}`,
              width,
            )}
          </Text>
          <DiffLines lines={shown} width={width} />
        </Box>
      )
    }
    case 'reason':
    case 'requirement': {
      const label =
        overlay.kind === 'reason'
          ? `Why reject ${overlay.id}? (sent back to the agent)`
          : 'Requirement for a new run:'
      return (
        <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
          <Text bold>{label}</Text>
          <Text>
            {'> '}
            {fit(overlay.draft, width - 8)}
            <Text inverse> </Text>
          </Text>
        </Box>
      )
    }
    case 'violation':
      return <ViolationDetail violationKey={overlay.key} />
    case 'commits':
      return (
        <Box flexDirection="column">
          <Text bold>
            {overlay.artifact}: {overlay.commits.length} version(s)
          </Text>
          {overlay.commits.length === 0 ? <Text dimColor>No commits yet.</Text> : null}
          {overlay.commits.slice(0, height - 1).map((c, i) => (
            <Text key={c.commit} inverse={i === overlay.cursor}>
              {fit(
                `${c.commit.slice(0, 8)} ${c.time.slice(0, 16).replace('T', ' ')} ${c.agent.padEnd(14)} ${c.subject}`,
                width,
              )}
            </Text>
          ))}
        </Box>
      )
  }
}

function ViolationDetail({ violationKey }: { violationKey: number }) {
  const v = useSupervisor((s) => s.violations.find((x) => x.key === violationKey))
  if (!v) return <Text dimColor>That violation is no longer kept.</Text>
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>
        {v.severity} {v.rule_id} · {v.agent}/{v.stage}
      </Text>
      <Text>{v.message}</Text>
      <Text>location: {v.location === '' ? '(the whole output)' : v.location}</Text>
      <Text>value: {v.value === undefined || v.value === '' ? '(none there)' : v.value}</Text>
      <Text color="green">fix: {v.suggested_fix}</Text>
    </Box>
  )
}
