import { checkArguments } from './arguments.js'
import { READ_TOOLS } from './definitions.js'
import { listFilesTool, type ListFilesArgs } from './list-files.js'
import { readFileTool, type ReadFileArgs } from './read-file.js'
import { searchTool, type SearchArgs } from './search.js'
import { refused, type ToolCall, type ToolContext, type ToolResult } from './types.js'

type Handler = (args: Record<string, unknown>, context: ToolContext) => Promise<ToolResult>

/** Each tool's implementation; its arguments are checked against its definition before the call. */
const HANDLERS: Record<string, Handler> = {
  list_files: (args, context) => listFilesTool(args as unknown as ListFilesArgs, context),
  read_file: (args, context) => readFileTool(args as unknown as ReadFileArgs, context),
  search: (args, context) => searchTool(args as unknown as SearchArgs, context),
}

/**
 * Runs one tool call a model made. Every mistake of the model — an unknown tool, arguments that are
 * not JSON, missing or ill-typed arguments, a refused path — comes back as `{ ok: false, error }` with
 * an explanation to send back to it. It throws only for bugs, when `context.signal` aborts (with the
 * signal's reason), and with an external MacdsError when git cannot run in `context.root`.
 */
export async function runTool(call: ToolCall, context: ToolContext): Promise<ToolResult> {
  const definition = READ_TOOLS.find((tool) => tool.function.name === call.name)
  const handler = HANDLERS[call.name]
  if (!definition || !handler) {
    const names = READ_TOOLS.map((tool) => tool.function.name).join(', ')
    return refused(`There is no tool named "${call.name}". The tools are ${names}.`)
  }
  const args = checkArguments(definition.function, call.arguments)
  if (!args.ok) return refused(args.error)
  return handler(args.value, context)
}
