import type { Violation } from '../contracts/types.js'
import type { TokenUsage } from '../providers/types.js'

/** Why an agent gave up on a stage. */
export type FailureReason = 'input_invalid' | 'violations' | 'budget' | 'provider' | 'cancelled'

interface Attempt {
  agent: string
  stage: string
  /** 1-based; attempt 2 is the first repair. */
  attempt: number
  /** The architecture task, when a stage runs one agent call per task. */
  task?: string
}

/**
 * What the agent runtime reports while it works, in this order per attempt: started, output
 * received (or failed), then violations (before a repair), or accepted (after `repaired` when
 * the accepted answer is a repair). An answer that calls tools is followed by one tool_called per
 * call and another output received. The event log and the supervisor consume these.
 */
export type AgentEvent =
  | ({ type: 'agent.attempt_started'; model: string } & Attempt)
  | ({
      type: 'agent.output_received'
      usage: TokenUsage
      cost_usd: number
      chars: number
      /** Tools the answer asked for instead of answering; a tool round follows. */
      tool_calls?: number
    } & Attempt)
  | ({
      type: 'agent.tool_called'
      tool: string
      /** The arguments as the model wrote them (the first 300 characters). */
      arguments: string
      ok: boolean
      /** Characters returned to the model. */
      chars: number
      error?: string
    } & Attempt)
  | ({ type: 'agent.tools_unavailable'; model: string; message: string } & Attempt)
  | ({
      type: 'agent.violations'
      violations: Violation[]
      /** The value each violation points at, as JSON cut short (the text itself when it was not JSON). */
      values?: string[]
      will_repair: boolean
    } & Attempt)
  | ({ type: 'agent.repaired' } & Attempt)
  | ({ type: 'agent.accepted'; warnings: Violation[] } & Attempt)
  | ({ type: 'agent.failed'; reason: FailureReason; message: string; violations: Violation[] } & Attempt)

export type AgentEventListener = (event: AgentEvent) => void
