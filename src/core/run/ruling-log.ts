import type { AgentDefinition } from '../agents/types.js'
import { record, type RunContext } from './context.js'
import type { Escalation } from './state.js'

const DECISIONS = 'DESIGN_DECISIONS.log'

/**
 * Appends every ruling not yet in DESIGN_DECISIONS.log to it, in its owner's name, each as its own
 * commit, and records that it did (so that a resumed run does not append it twice).
 */
export async function logRulings(run: RunContext): Promise<void> {
  const owner = run.agents.find((a: AgentDefinition) =>
    (a.permissions.artifacts as string[]).includes(DECISIONS),
  )
  if (!owner) return
  for (const escalation of Object.values(run.state.escalations)) {
    if (escalation.status !== 'ruled' || escalation.logged) continue
    await run.log.flush()
    const commit = await run.workspace.writeArtifact(DECISIONS, rulingEntry(escalation), {
      agent: owner.id,
      stage: 'escalation',
    })
    record(run, {
      type: 'effect.recorded',
      stage: 'escalation',
      agent: owner.id,
      kind: 'artifact',
      name: DECISIONS,
      detail: `ruling on ${escalation.escalation_id}`,
      escalation_id: escalation.escalation_id,
      ...(commit ? { commit } : {}),
    })
  }
}

/** The log entry of a ruling: what was disputed, who ruled what, and why. */
export function rulingEntry(escalation: Escalation): string {
  const { conflict } = escalation
  const sides = conflict.agents.map((a) => `${a.agent} (${a.authority}): ${a.position}`).join('; ')
  return [
    `[${new Date().toISOString().slice(0, 10)}] RULING ${escalation.escalation_id} by ${escalation.by ?? 'unknown'}: ${escalation.ruling ?? 'none'}`,
    `Conflict: ${conflict.topic}`,
    `Positions: ${sides}`,
    `Rationale: ${escalation.rationale ?? ''}`,
  ].join('\n')
}
