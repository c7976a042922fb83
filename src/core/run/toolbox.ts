import type { ToolBox } from '../agents/tool-round.js'
import type { AgentDefinition } from '../agents/types.js'
import type { ToolSpec } from '../providers/types.js'
import { toMacdsError } from '../errors.js'
import type { Redactor } from '../secrets.js'
import { READ_TOOLS, runTool } from '../tools/index.js'

const SPECS: ToolSpec[] = READ_TOOLS.map((tool) => tool.function)

/**
 * The read-only tools of `agent` on the work tree at `root`: confined to it and to the agent's read
 * permissions, and with secrets masked in what they return (a key written into a readable file
 * never reaches the model).
 */
export function readTools(root: string, agent: AgentDefinition, redact?: Redactor): ToolBox {
  const read = agent.permissions.read
  return {
    specs: SPECS,
    run: async (call, signal) => {
      let outcome: { ok: boolean; content: string }
      try {
        const result = await runTool({ name: call.name, arguments: call.arguments }, { root, read, signal })
        outcome = result.ok ? { ok: true, content: result.content } : { ok: false, content: result.error }
      } catch (error) {
        // A cancel is noticed by the next model call; git that cannot run is reported to the model,
        // which can still answer from its prompt.
        if (signal?.aborted) return { ok: false, content: 'the run was cancelled' }
        outcome = { ok: false, content: `the tool could not run: ${toMacdsError(error).message}` }
      }
      return redact ? { ...outcome, content: redact(outcome.content) } : outcome
    },
  }
}
