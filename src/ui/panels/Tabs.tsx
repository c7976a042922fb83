import { Box, Text } from 'ink'
import { useShallow } from 'zustand/react/shallow'
import { useSupervisor } from '../context.js'
import { PANELS, type PanelId } from '../store/types.js'

const TITLES: Record<PanelId, string> = {
  approvals: 'Approvals',
  violations: 'Violations',
  agents: 'Agents',
  artifacts: 'Artifacts',
  contracts: 'Contracts',
  memory: 'Memory',
  log: 'Log',
}

/** The panels by number, the focused one highlighted, with counts where they matter. */
export function Tabs() {
  const focus = useSupervisor((s) => s.focus)
  const counts = useSupervisor(
    useShallow((s) => ({
      approvals: s.queue.filter((i) => !i.answered).length,
      violations: s.violations.length,
      contracts: s.contracts.filter((c) => c.status === 'invalid').length,
    })),
  )
  return (
    <Box>
      {PANELS.map((panel, i) => {
        const count = counts[panel as keyof typeof counts]
        return (
          <Text key={panel} inverse={panel === focus} bold={panel === focus}>
            {` ${i + 1} ${TITLES[panel]}${count ? ` (${count})` : ''} `}
          </Text>
        )
      })}
    </Box>
  )
}

export { TITLES }
