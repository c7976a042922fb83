import { Box, Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit, tokens } from '../format.js'
import { DiffLines } from '../overlays/DiffLines.js'

/**
 * The decisions waiting for a person, one at a time ("1 of 3"): who asks, why a person must decide,
 * and what (the diff, or the output or ruling asked for). A finished run's summary shows here when
 * nothing waits.
 */
export function Approvals({ height }: { height: number }) {
  const queue = useSupervisor((s) => s.queue)
  const at = Math.min(
    useSupervisor((s) => s.cursor.approvals ?? 0),
    Math.max(0, queue.length - 1),
  )
  const width = useSupervisor((s) => s.size.columns)
  const summary = useSupervisor((s) => s.run?.summary)
  const item = queue[at]
  if (!item) {
    return (
      <Box flexDirection="column">
        <Text dimColor>Nothing waits for a decision.</Text>
        {summary?.map((line, i) => (
          <Text key={i} color={i === 0 ? 'cyan' : undefined}>
            {fit(line, width - 2)}
          </Text>
        ))}
      </Box>
    )
  }
  const kind = item.kind === 'gate' ? 'approval' : 'escalation'
  const answer = item.answered
    ? item.answered === 'approve'
      ? ' · approved, the run takes it…'
      : ' · rejected, the run takes it…'
    : ''
  const body = (item.diff ?? item.detail).split('\n')
  const room = Math.max(1, height - 4 - item.why.length)
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={item.kind === 'gate' ? 'magenta' : 'red'}>
          {kind} {at + 1} of {queue.length}
        </Text>
        <Text>
          {' '}
          {item.id} · {item.stage}
        </Text>
        <Text color="green">{answer}</Text>
      </Text>
      <Text>
        {fit(
          `${item.agent} (authority ${item.authority}, autonomy ${item.autonomy.toFixed(2)}, ${tokens(item.budget_left)} tokens left): ${item.summary}`,
          width - 2,
        )}
      </Text>
      {item.why.map((why, i) => (
        <Text key={i} color="yellow">
          {fit(`why: ${why}`, width - 2)}
        </Text>
      ))}
      {item.artifacts.length > 0 ? (
        <Text color="cyan">
          {fit(`wrote ${item.artifacts.map((a) => a.name).join(', ')}: d shows the diff`, width - 2)}
        </Text>
      ) : null}
      <DiffLines lines={body.slice(0, room)} width={width - 2} />
      {body.length > room ? <Text dimColor>… {body.length - room} more lines: d shows them all</Text> : null}
    </Box>
  )
}
