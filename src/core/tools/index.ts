export { READ_TOOLS, type ToolDefinition, type ParameterSchema } from './definitions.js'
export { DEFAULT_READ_ALLOW, DEFAULT_READ_DENY, DEFAULT_READ_POLICY, readCheck } from './policy.js'
export { runTool } from './run-tool.js'
export type { ReadPolicy, ToolCall, ToolContext, ToolResult } from './types.js'
