import type { LoggedRunEvent } from '../../core/run/context.js'
import { describeNext } from '../../core/run/describe.js'
import type { LogLine } from './types.js'

/** The log panel's line for an event, or undefined for events too fine to show (tool calls, context). */
export function describeEvent(event: LoggedRunEvent): LogLine | undefined {
  const line = (text: string, agent?: string, level: LogLine['level'] = 'info'): LogLine => ({
    seq: event.seq,
    time: event.ts.slice(11, 19),
    agent,
    level,
    text,
  })
  switch (event.type) {
    case 'run.started':
      return line(`run ${event.run_id} started: ${event.requirement}`)
    case 'run.resumed':
      return line(`run ${event.run_id} resumed`)
    case 'stage.started':
      return line(`${event.stage} #${event.visit} started`, event.agent)
    case 'stage.passed':
      return line(`${event.stage} #${event.visit} passed`, event.agent)
    case 'stage.failed':
      return line(
        `${event.stage} #${event.visit} failed: ${event.message} ${describeNext(event.next)}`,
        event.agent,
        'warn',
      )
    case 'agent.violations':
      return line(
        `${event.violations.length} violation(s) in ${event.stage}${event.will_repair ? ', asked to repair' : ''}`,
        event.agent,
        'warn',
      )
    case 'agent.repaired':
      return line(`${event.stage}: repaired on attempt ${event.attempt}`, event.agent)
    case 'agent.failed':
      return line(`${event.stage}: ${event.message}`, event.agent, 'error')
    case 'effect.recorded':
      return line(
        event.kind === 'memory' ? event.detail : `${event.kind} ${event.name}: ${event.detail}`,
        event.agent,
      )
    case 'gate.requested':
      return line(`gate ${event.gate_id} waits: ${event.summary}`, event.agent, 'warn')
    case 'gate.answered':
      return line(
        `gate ${event.gate_id} ${event.decision === 'approve' ? 'approved' : 'rejected'} by ${event.by}${event.reason ? `: ${event.reason}` : ''}`,
      )
    case 'escalation.ruled':
      return line(`escalation ${event.escalation_id}: ${event.ruling} (${event.rationale})`, event.by)
    case 'pipeline.finished':
      return line(
        `pipeline ${event.passed ? 'passed' : 'failed'}: ${event.steps.map((s) => `${s.name} ${s.exit_code === 0 ? 'ok' : `exit ${s.exit_code}`}`).join(', ')}`,
        undefined,
        event.passed ? 'info' : 'warn',
      )
    case 'integration.started':
      return line(
        `integrating into ${event.target}: ${event.from.slice(0, 8)} → ${event.to.slice(0, 8)}`,
        'integrator',
      )
    case 'integration.finished':
      return line(
        `integration ${event.status}: ${event.message}`,
        'integrator',
        event.status === 'failed' ? 'error' : 'info',
      )
    case 'contract.reloaded':
      return line(`contract ${event.name} reloaded: ${event.previous_version} → ${event.version}`)
    case 'contract.invalid':
      return line(
        `contract ${event.name} is invalid; ${event.in_force ? `${event.in_force} stays in force` : 'none in force'}`,
        undefined,
        'warn',
      )
    case 'run.finished':
      return line(
        `run ${event.status}: ${event.message}`,
        undefined,
        event.status === 'passed' ? 'info' : 'error',
      )
    case 'run.cancelled':
      return line(`run cancelled: ${event.message}`, undefined, 'warn')
    default:
      return undefined
  }
}
