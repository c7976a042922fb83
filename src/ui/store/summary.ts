import type { RunState } from '../../core/run/state.js'

/** The lines that stay on screen once a run is over: how it ended, what ran, what looped, what merged. */
export function runSummary(state: RunState, reopened: ReadonlyMap<string, number>): string[] {
  const stages = Object.values(state.stages)
  const passed = stages.filter((s) => s.status === 'passed').length
  const visits = stages.reduce((n, s) => n + s.visit, 0)
  const loops = [...reopened.values()].reduce((a, b) => a + b, 0)
  const tokens = Object.values(state.tokens).reduce((a, b) => a + b, 0)
  const lines = [
    `run ${state.run_id} ${state.status}${state.message ? `: ${state.message}` : ''}`,
    `${passed} of ${stages.length} stages passed in ${visits} visits; ${loops} loop(s) taken by failure routing`,
    `${Object.keys(state.gates).length} gate(s), ${Object.keys(state.escalations).length} escalation(s); ${tokens} tokens, $${state.cost_usd.toFixed(4)}`,
  ]
  const { integration } = state
  if (integration.status) lines.push(`integration ${integration.status}: ${integration.message ?? ''}`)
  return lines
}
