import type { ChatMessage, ToolCall, ToolSpec } from '../providers/types.js'
import type { AgentEventListener } from './events.js'

/** What a tool returned: content for the model, or an error written for the model to read. */
export interface ToolOutcome {
  ok: boolean
  content: string
}

/** Read-only tools an agent may call before it answers, and how to run them (confined by the caller). */
export interface ToolBox {
  specs: ToolSpec[]
  run(call: ToolCall, signal?: AbortSignal): Promise<ToolOutcome>
}

/** Tool calls run from one answer; further calls in the same answer are refused with a message. */
export const MAX_TOOL_CALLS_PER_ANSWER = 8

/** How much of a call's arguments an event keeps. */
const ARGUMENTS_SHOWN = 300

/**
 * Runs the tool calls of one answer in order and returns the messages that continue the
 * conversation: the assistant's turn with its calls, then one tool message per call. Each call is
 * reported as an `agent.tool_called` event.
 */
export async function toolRound(
  calls: ToolCall[],
  text: string,
  tools: ToolBox,
  at: { agent: string; stage: string; attempt: number },
  emit: AgentEventListener,
  signal?: AbortSignal,
): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [{ role: 'assistant', content: text, tool_calls: calls }]
  for (const [index, call] of calls.entries()) {
    const outcome: ToolOutcome =
      index < MAX_TOOL_CALLS_PER_ANSWER
        ? await tools.run(call, signal)
        : {
            ok: false,
            content: `not run: at most ${MAX_TOOL_CALLS_PER_ANSWER} tool calls are run per answer; ask again for what you still need`,
          }
    emit({
      type: 'agent.tool_called',
      ...at,
      tool: call.name,
      arguments: call.arguments.slice(0, ARGUMENTS_SHOWN),
      ok: outcome.ok,
      chars: outcome.content.length,
      ...(outcome.ok ? {} : { error: outcome.content.slice(0, ARGUMENTS_SHOWN) }),
    })
    messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content })
  }
  return messages
}
