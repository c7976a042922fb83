/** What to do with an accepted output before the run acts on it. */
export type GateDecision = 'approve' | 'ask' | 'reject'

/**
 * The approval policy: an agent that does not require approval goes on, unless its output has
 * reasons to be approved by a person (a protected path, many deleted lines); otherwise the run's
 * `--approve` mode decides (`ask` waits for a person). Pure, so the supervisor, the headless run
 * and the tests agree on it.
 */
export function gatePolicy(
  agent: { requires_approval: boolean },
  mode: 'ask' | 'auto' | 'reject',
  reasons: readonly string[] = [],
): GateDecision {
  if (!agent.requires_approval && reasons.length === 0) return 'approve'
  if (mode === 'auto') return 'approve'
  return mode === 'reject' ? 'reject' : 'ask'
}
