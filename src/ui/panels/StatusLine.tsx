import { Box, Text } from 'ink'
import { useShallow } from 'zustand/react/shallow'
import { useSupervisor } from '../context.js'
import { duration, fit, tokens } from '../format.js'

/** Repository, branch, run, provider and model, tokens and cost, elapsed time, approval mode, and what waits. */
export function StatusLine() {
  const project = useSupervisor((s) => s.project)
  const run = useSupervisor((s) => s.run)
  const mode = useSupervisor((s) => s.mode)
  const width = useSupervisor((s) => s.size.columns)
  const { gates, escalations } = useSupervisor(
    useShallow((s) => ({
      gates: s.queue.filter((i) => i.kind === 'gate' && !i.answered).length,
      escalations: s.queue.filter((i) => i.kind === 'escalation' && !i.answered).length,
    })),
  )
  const now = useSupervisor((s) => s.clock)
  const elapsed = run ? duration((run.ended_at ?? now) - run.started_at) : '—'
  const where = `${project.repo}${project.branch ? ` @ ${project.branch}` : ''}`
  const what = run ? `${run.run_id} ${run.status} "${run.requirement}"` : 'no run yet: n starts one'
  const right = `${project.provider}/${project.model} · ${tokens(run?.tokens ?? 0)} tok $${(run?.cost_usd ?? 0).toFixed(2)} · ${elapsed} · mode ${mode}`
  const room = Math.max(10, width - where.length - 9)
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold color="cyan">
          macds{' '}
        </Text>
        <Text>{where} · </Text>
        <Text color={run?.status === 'failed' ? 'red' : run?.status === 'passed' ? 'green' : undefined}>
          {fit(what, room)}
        </Text>
      </Box>
      <Box>
        <Text dimColor>{fit(right, width - 24)}</Text>
        <Text> </Text>
        <Text color={gates > 0 ? 'magenta' : undefined} bold={gates > 0}>
          ⏸ {gates} approval{gates === 1 ? '' : 's'}
        </Text>
        <Text> </Text>
        <Text color={escalations > 0 ? 'red' : undefined} bold={escalations > 0}>
          ⚑ {escalations}
        </Text>
      </Box>
    </Box>
  )
}
