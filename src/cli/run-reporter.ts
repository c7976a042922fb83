import type { Writable } from 'node:stream'
import type { LoggedRunEvent, RunListener } from '../core/run/context.js'
import { describeNext } from '../core/run/describe.js'
import type { RunState } from '../core/run/state.js'
import type { Redactor } from '../core/secrets.js'
import { say } from './command.js'

/** One JSON event per line, and nothing else, on the stream: each line exactly as the log has it. */
export function jsonReporter(out: Writable): RunListener {
  return (_event, _state, line) => out.write(`${line()}\n`)
}

/**
 * A line per stage transition (stage, agent, visit, tokens, duration, violations), and a line for
 * every gate, escalation and ruling with what to type to answer it.
 */
export function plainReporter(out: Writable, redact: Redactor): RunListener {
  const started = new Map<string, number>()
  const tokens = new Map<string, number>()
  const violations = new Map<string, number>()
  const line = (text: string) => say(out, redact(text))
  return (event: LoggedRunEvent, state: RunState) => {
    switch (event.type) {
      case 'run.started':
        return line(`run ${event.run_id}: ${event.requirement}`)
      case 'run.resumed':
        return line(`run ${event.run_id} resumed`)
      case 'stage.started':
        started.set(event.stage, Date.parse(event.ts))
        tokens.set(event.stage, 0)
        violations.set(event.stage, 0)
        return line(`  ${event.stage.padEnd(15)} ${event.agent.padEnd(15)} #${event.visit} started`)
      case 'agent.output_received':
        tokens.set(
          event.stage,
          (tokens.get(event.stage) ?? 0) + event.usage.prompt_tokens + event.usage.completion_tokens,
        )
        return
      case 'agent.violations':
        violations.set(event.stage, (violations.get(event.stage) ?? 0) + event.violations.length)
        return
      case 'agent.tools_unavailable':
        return line(`    ${event.model} cannot call tools; ${event.agent} answers from its prompt alone`)
      case 'stage.passed':
      case 'stage.failed': {
        const seconds = (
          (Date.parse(event.ts) - (started.get(event.stage) ?? Date.parse(event.ts))) /
          1000
        ).toFixed(1)
        const facts = `${tokens.get(event.stage) ?? 0} tokens, ${seconds} s, ${violations.get(event.stage) ?? 0} violations`
        const verdict = event.type === 'stage.passed' ? 'passed' : `failed: ${event.message}`
        line(`  ${event.stage.padEnd(15)} ${event.agent.padEnd(15)} #${event.visit} ${verdict} (${facts})`)
        if (event.type === 'stage.failed') line(`    ${describeNext(event.next)}`)
        return
      }
      case 'gate.requested': {
        const why = event.reasons?.length ? `\n    why: ${event.reasons.join(' ')}` : ''
        const ask = `  gate ${event.gate_id}: approve the output of ${event.agent} for ${event.stage}? (${event.summary})${why}`
        // Under --approve auto the answer follows at once: there is nothing to type.
        if (state.options.approve === 'auto') return line(ask)
        return line(
          `${ask}\n    answer with: macds approve ${event.gate_id}  |  macds reject ${event.gate_id} --reason TEXT`,
        )
      }
      case 'gate.answered':
        return line(
          `  gate ${event.gate_id} ${event.decision === 'approve' ? 'approved' : 'rejected'} by ${event.by}${event.reason ? `: ${event.reason}` : ''}`,
        )
      case 'escalation.ruled':
        return line(
          `  escalation ${event.escalation_id} ruled by ${event.by}: ${event.ruling}${event.upheld_agent ? ` ${event.upheld_agent}` : ''} (${event.rationale})\n    ${describeNext(event.next)}`,
        )
      case 'contract.invalid': {
        const [first] = event.issues
        const where = first ? ` (${first.line}:${first.col} ${first.message})` : ''
        const kept = event.in_force
          ? `version ${event.in_force} stays in force`
          : 'no valid version is in force'
        return line(`  contract ${event.name} is invalid${where}; ${kept}`)
      }
      case 'contract.reloaded':
        return line(`  contract ${event.name} reloaded: ${event.previous_version} → ${event.version}`)
      case 'run.finished':
        return line(
          `run ${state.run_id} ${event.status}: ${event.message} (${totalTokens(state)} tokens, $${state.cost_usd.toFixed(4)})`,
        )
      case 'run.cancelled':
        return line(`run ${state.run_id} cancelled: ${event.message}`)
      default:
        return
    }
  }
}

function totalTokens(state: RunState): number {
  return Object.values(state.tokens).reduce((a, b) => a + b, 0)
}
