import { stringify } from 'yaml'
import type { RunState } from '../../core/run/state.js'
import type { QueueItem } from './types.js'

/** What the queue needs to know of the agents besides the run: rank, budget and approval setting. */
export interface QueueFacts {
  agents: Record<string, { authority: number; tokens_per_run: number; requires_approval: boolean }>
  /** Autonomy below `low` makes an agent supervised. */
  thresholds: { low: number; high: number }
}

/**
 * The decisions waiting for a person, oldest first: pending gates, and escalations no agent may rule.
 * An answer given on screen stays marked until the run takes it.
 */
export function queueOf(
  state: RunState,
  facts: QueueFacts,
  reasons: ReadonlyMap<string, string[]>,
  written: ReadonlyMap<string, { name: string; commit: string }[]>,
  previous: readonly QueueItem[],
  mask: (text: string) => string = (text) => text,
): QueueItem[] {
  const answered = new Map(previous.filter((i) => i.answered).map((i) => [i.id, i.answered]))
  const items: QueueItem[] = []
  for (const gate of Object.values(state.gates)) {
    if (gate.status !== 'pending') continue
    const why = reasons.get(gate.gate_id) ?? []
    if (why.length === 0 && facts.agents[gate.agent]?.requires_approval)
      why.push(
        `agents/${gate.agent}.yaml sets requires_approval: every output of ${gate.agent} waits for a person.`,
      )
    items.push({
      ...who(state, facts, gate.agent),
      id: gate.gate_id,
      kind: 'gate',
      stage: gate.stage,
      why,
      summary: mask(gate.summary),
      diff: maybe(state.changesets[gate.stage]?.diff, mask),
      artifacts: written.get(gate.stage) ?? [],
      detail: mask(stringify(gate.output, { lineWidth: 0 })),
      answered: answered.get(gate.gate_id),
    })
  }
  for (const e of Object.values(state.escalations)) {
    if (e.status !== 'pending' || e.arbiter !== 'human') continue
    const [raiser, other] = e.conflict.agents
    const sides = e.conflict.agents.map((a) => `${a.agent} (${a.authority})`).join(' and ')
    items.push({
      ...who(state, facts, raiser?.agent ?? 'architect'),
      id: e.escalation_id,
      kind: 'escalation',
      stage: e.conflict.stage,
      why: [
        `No agent outranks ${sides}: a person rules. Approve upholds ${raiser?.agent}, reject upholds ${other?.agent}.`,
      ],
      summary: mask(e.conflict.topic),
      diff: undefined,
      artifacts: [],
      detail: mask(
        stringify({ positions: e.conflict.agents, evidence: e.conflict.evidence }, { lineWidth: 0 }),
      ),
      answered: answered.get(e.escalation_id),
    })
  }
  return items
}

function who(state: RunState, facts: QueueFacts, agent: string) {
  const known = facts.agents[agent]
  return {
    agent,
    authority: known?.authority ?? 0,
    autonomy: state.autonomy[agent]?.value ?? 0,
    budget_left: Math.max(0, (known?.tokens_per_run ?? 0) - (state.tokens[agent] ?? 0)),
  }
}

function maybe(text: string | undefined, mask: (text: string) => string): string | undefined {
  return text === undefined ? undefined : mask(text)
}
