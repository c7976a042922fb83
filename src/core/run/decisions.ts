import { modelOf } from '../agents/load.js'
import { toMacdsError } from '../errors.js'
import { runAgent } from '../agents/runtime.js'
import type { Answer } from './answers.js'
import { agentOf, record, type RunContext } from './context.js'
import type { Next } from './events.js'
import { escalationInput } from './inputs.js'
import { rememberFailure, rememberNotes } from './remember.js'
import { type Ruling, rulingNext } from './rulings.js'
import type { Escalation } from './state.js'

/** Gate rejections a stage may take before the run gives up on it. */
export const MAX_GATE_REJECTIONS = 3

/**
 * Asks the arbiter agent to rule on an escalation through the escalation contract, and applies the
 * ruling. An arbiter that cannot give a valid ruling aborts the run: nobody else outranks it.
 */
export async function arbitrate(run: RunContext, escalation: Escalation, signal: AbortSignal): Promise<void> {
  if (escalation.arbiter === 'human') return
  const arbiter = agentOf(run, escalation.arbiter.agent)
  let contract
  try {
    contract = run.contracts.require('escalation')
  } catch (thrown) {
    const rationale = `${arbiter.id} could not rule: ${toMacdsError(thrown).message}`
    return rule(run, escalation, { ruling: 'abort', rationale }, arbiter.id)
  }
  const outcome = await runAgent(
    {
      agent: arbiter,
      contract,
      stage: 'escalation',
      visit: Object.keys(run.state.escalations).indexOf(escalation.escalation_id) + 1,
      input: escalationInput(run.state.run_id, escalation.conflict, escalation.arbiter),
      model: modelOf(arbiter, run.config),
    },
    { provider: run.provider, ledger: run.ledger, prompts: run.prompts, signal, emit: (e) => record(run, e) },
  )
  if (!outcome.ok && outcome.reason === 'cancelled') return
  const ruling: Ruling = outcome.ok
    ? (outcome.output as Ruling)
    : { ruling: 'abort', rationale: `${arbiter.id} could not rule: ${outcome.message}` }
  if (outcome.ok)
    rememberNotes(run, { stage: 'escalation', agent: arbiter.id }, outcome.output as Record<string, unknown>)
  rule(run, escalation, ruling, arbiter.id)
}

/**
 * Applies a person's answer to a pending gate or escalation. Approving a gate passes the stage;
 * rejecting it sends the reason back to the agent (or fails the run after too many rejections).
 * For an escalation, approve upholds the side that raised it and reject the other side.
 * Returns false when the id names nothing pending.
 */
export function applyAnswer(run: RunContext, answer: Answer): boolean {
  const gate = run.state.gates[answer.id]
  if (gate?.status === 'pending') {
    let next: Next
    if (answer.decision === 'approve') next = { kind: 'pass', stage: gate.stage, output: gate.output }
    else if ((run.state.feedback[gate.stage]?.length ?? 0) + 1 >= MAX_GATE_REJECTIONS) {
      next = {
        kind: 'fail_run',
        message: `the output of ${gate.stage} was rejected ${MAX_GATE_REJECTIONS} times`,
      }
    } else {
      const feedback = `a person rejected the previous answer${answer.reason ? `: ${answer.reason}` : ''}`
      next = { kind: 'rerun', stage: gate.stage, feedback }
    }
    if (answer.decision === 'reject')
      rememberFailure(
        run,
        gate,
        `A person rejected the output of ${gate.stage}${answer.reason ? `: ${answer.reason}` : ''}`,
      )
    const { id: gate_id, decision, reason, by } = answer
    record(run, { type: 'gate.answered', gate_id, decision, ...(reason ? { reason } : {}), by, next })
    return true
  }
  const escalation = run.state.escalations[answer.id]
  if (escalation?.status === 'pending' && escalation.arbiter === 'human') {
    const [raiser, other] = escalation.conflict.agents
    const upheld = answer.decision === 'approve' ? raiser : other
    const rationale = answer.reason ?? `a person upheld ${upheld?.agent}`
    rule(run, escalation, { ruling: 'uphold', upheld_agent: upheld?.agent, rationale }, answer.by)
    return true
  }
  return false
}

/** Applies every answer that names a pending decision; true when at least one did. */
export function applyAnswers(run: RunContext, answers: Map<string, Answer>): boolean {
  let applied = false
  for (const answer of answers.values()) applied = applyAnswer(run, answer) || applied
  return applied
}

function rule(run: RunContext, escalation: Escalation, ruling: Ruling, by: string): void {
  const next = rulingNext(run.state, escalation, ruling, by)
  record(run, {
    type: 'escalation.ruled',
    escalation_id: escalation.escalation_id,
    ruling: ruling.ruling,
    by,
    rationale: ruling.rationale,
    ...(ruling.upheld_agent ? { upheld_agent: ruling.upheld_agent } : {}),
    next,
  })
}
