import type { CompiledContract } from '../contracts/compile.js'
import { offendingValues } from './offending.js'
import type { Violation } from '../contracts/types.js'
import { validateValue } from '../contracts/validate.js'
import { toMacdsError } from '../errors.js'
import { ProviderError } from '../providers/errors.js'
import {
  addUsage,
  type ChatMessage,
  NO_USAGE,
  type Provider,
  type TokenUsage,
  type ToolCall,
} from '../providers/types.js'
import type { BudgetLedger } from './budget.js'
import type { AgentEventListener, FailureReason } from './events.js'
import { extractJson } from './extract-json.js'
import { buildPrompt, type PromptContext, repairMessage } from './prompt.js'
import type { PromptStore } from './prompt-store.js'
import { type ToolBox, toolRound } from './tool-round.js'
import type { AgentDefinition } from './types.js'

/** One stage's work for one agent. */
export interface AgentTask {
  agent: AgentDefinition
  contract: CompiledContract
  stage: string
  input: unknown
  /** The server model name (see `modelOf`). */
  model: string
  /** Which visit of the stage this is (a re-opened stage is visited again); calls are budgeted per visit. */
  visit?: number
  context?: PromptContext
  /** The architecture task this call works on, when a stage runs one call per task. */
  task?: string
  /** Read-only tools the model may call before it answers; every model call counts against calls_per_stage. */
  tools?: ToolBox
  /**
   * Checks an output the contract accepted against the world (a ChangeSet against the work tree, say).
   * Its error violations are sent back for repair like the contract's own.
   */
  verify?: (output: unknown) => Violation[] | Promise<Violation[]>
}

/** What the runtime works with; shared by every task of a run. */
export interface RuntimeDeps {
  provider: Provider
  ledger: BudgetLedger
  emit?: AgentEventListener
  prompts?: PromptStore
  signal?: AbortSignal
}

interface Spent {
  attempts: number
  usage: TokenUsage
  cost_usd: number
}

/** The end of a task: an accepted output, or why there is none. A failure is data, not an exception. */
export type AgentOutcome =
  | ({ ok: true; output: unknown; warnings: Violation[] } & Spent)
  | ({
      ok: false
      reason: FailureReason
      message: string
      violations: Violation[]
      /** A stable error code (such as PROVIDER_AUTH or BUDGET_SPENT) and the next step, where known. */
      code?: string
      hint?: string
    } & Spent)

/**
 * Turns a task into an output the contract accepts: checks the input, asks the model, extracts the
 * JSON, validates it, and sends error violations back for repair at most `max_repairs` times. Every
 * call is charged to the agent's budget; a spent budget stops the agent.
 */
export async function runAgent(task: AgentTask, deps: RuntimeDeps): Promise<AgentOutcome> {
  const { agent, contract, stage, input } = task
  const emit = deps.emit ?? (() => {})
  const spent: Spent = { attempts: 0, usage: NO_USAGE, cost_usd: 0 }
  const fail = (
    reason: FailureReason,
    message: string,
    violations: Violation[] = [],
    code?: string,
    hint?: string,
  ) => {
    emit({
      type: 'agent.failed',
      agent: agent.id,
      stage,
      task: task.task,
      attempt: spent.attempts,
      reason,
      message,
      violations,
    })
    return { ok: false as const, reason, message, violations, code, hint, ...spent }
  }

  const checkedInput = validateValue(contract, 'input', input)
  if (!checkedInput.ok) {
    return fail(
      'input_invalid',
      `the input does not satisfy the contract "${contract.name}"`,
      checkedInput.violations,
    )
  }
  let messages = buildPrompt(agent, contract, stage, input, task.context)
  let violations: Violation[] = []
  let tools = task.tools
  const key = budgetKey(task)
  for (let attempt = 1; attempt <= agent.budgets.max_repairs + 1; attempt++) {
    let call: Call
    // Each pass is one model call: a tool round, or the answer that ends the attempt.
    for (let round = 0; ; round++) {
      const refusal = deps.ledger.refusal(agent.id, key, agent.budgets)
      if (refusal) {
        const hint = `Raise budgets in ${agent.file}, or give the agent a smaller task.`
        return fail('budget', `budget spent: ${refusal}`, violations, 'BUDGET_SPENT', hint)
      }
      if (round === 0) {
        spent.attempts = attempt
        emit({
          type: 'agent.attempt_started',
          agent: agent.id,
          stage,
          task: task.task,
          attempt,
          model: task.model,
        })
      }
      call = await callModel(task, deps, messages, attempt, tools)
      charge(spent, deps.ledger, agent.id, key, call)
      if (!call.ok) {
        const reason = call.error.code === 'PROVIDER_CANCELLED' ? 'cancelled' : 'provider'
        return fail(reason, call.error.message, violations, call.error.code, call.error.hint)
      }
      const { usage, cost_usd, tool_calls } = call
      const at = { agent: agent.id, stage, task: task.task, attempt }
      const asked = tool_calls && tools ? { tool_calls: tool_calls.length } : {}
      emit({ type: 'agent.output_received', ...at, usage, cost_usd, chars: call.text.length, ...asked })
      if (call.tools_refused !== undefined) {
        // Said once: the provider reports the refusal only on the call that found it.
        emit({ type: 'agent.tools_unavailable', ...at, model: task.model, message: call.tools_refused })
        tools = undefined
      }
      if (!tool_calls || !tools) break
      messages = [...messages, ...(await toolRound(tool_calls, call.text, tools, at, emit, deps.signal))]
    }
    const checked = check(contract, call.text, input)
    if (checked.ok && task.verify) {
      const verified = task.verify(checked.value)
      // Most outputs have nothing to check against the world: no need to wait a turn for them.
      const found = Array.isArray(verified) ? verified : await verified
      if (found.length > 0) checked.violations = [...checked.violations, ...found]
      checked.ok = !found.some((v) => v.severity === 'error')
    }
    violations = checked.violations
    if (checked.ok) {
      if (attempt > 1) emit({ type: 'agent.repaired', agent: agent.id, stage, task: task.task, attempt })
      emit({ type: 'agent.accepted', agent: agent.id, stage, task: task.task, attempt, warnings: violations })
      return { ok: true, output: checked.value, warnings: violations, ...spent }
    }
    const willRepair = attempt <= agent.budgets.max_repairs
    emit({
      type: 'agent.violations',
      agent: agent.id,
      stage,
      task: task.task,
      attempt,
      violations,
      values: offendingValues(violations, checked.value, call.text),
      will_repair: willRepair,
    })
    messages = [...messages, { role: 'assistant', content: call.text }, repairMessage(contract, violations)]
  }
  const count = violations.filter((v) => v.severity === 'error').length
  const message = `the answer still breaks the contract "${contract.name}" after ${agent.budgets.max_repairs} repair${agent.budgets.max_repairs === 1 ? '' : 's'} (${count} error${count === 1 ? '' : 's'})`
  return fail('violations', message, violations, 'CONTRACT_VIOLATED')
}

type Call =
  | {
      ok: true
      text: string
      usage: TokenUsage
      cost_usd: number
      tool_calls?: ToolCall[]
      tools_refused?: string
    }
  | { ok: false; error: ProviderError | ReturnType<typeof toMacdsError>; usage: TokenUsage; cost_usd: number }

async function callModel(
  task: AgentTask,
  deps: RuntimeDeps,
  messages: ChatMessage[],
  attempt: number,
  tools: ToolBox | undefined,
): Promise<Call> {
  const { agent, contract, stage, model } = task
  const record = () => ({
    agent: agent.id,
    stage,
    task: task.task,
    visit: task.visit,
    attempt,
    model,
    messages,
  })
  try {
    const result = await deps.provider.complete({
      agent: agent.id,
      stage,
      task: task.task,
      attempt,
      model,
      messages,
      temperature: agent.temperature,
      ...(tools ? { tools: tools.specs } : {}),
      schema: { name: contract.name, schema: contract.definition.output },
      timeoutMs: agent.budgets.seconds_per_call * 1000,
      signal: deps.signal,
    })
    deps.prompts?.save({ ...record(), response: result.text, usage: result.usage })
    const { text, usage, cost_usd, tool_calls, tools_refused } = result
    return { ok: true, text, usage, cost_usd, tool_calls, tools_refused }
  } catch (thrown) {
    const error = toMacdsError(thrown)
    deps.prompts?.save({ ...record(), error: `${error.code}: ${error.message}` })
    if (error instanceof ProviderError)
      return { ok: false, error, usage: error.usage, cost_usd: error.cost_usd }
    if (error.kind === 'bug') throw thrown
    return { ok: false, error, usage: NO_USAGE, cost_usd: 0 }
  }
}

function charge(
  spent: Spent,
  ledger: BudgetLedger,
  agent: string,
  key: string,
  { usage, cost_usd }: { usage: TokenUsage; cost_usd: number },
): void {
  spent.usage = addUsage(spent.usage, usage)
  spent.cost_usd += cost_usd
  ledger.charge(agent, key, usage, cost_usd)
}

/** Calls are counted per stage visit: a stage re-opened by a failure gets its calls again. */
function budgetKey(task: AgentTask): string {
  const stage = task.task ? `${task.stage}/${task.task}` : task.stage
  return task.visit === undefined ? stage : `${stage}#${task.visit}`
}

function check(
  contract: CompiledContract,
  text: string,
  input: unknown,
): { ok: boolean; value: unknown; violations: Violation[] } {
  const extracted = extractJson(text)
  if (!extracted.ok) {
    const violation: Violation = {
      rule_id: 'JSON',
      severity: 'error',
      message: extracted.reason,
      location: '',
      suggested_fix: 'Answer with one JSON value only, without prose around it.',
    }
    return { ok: false, value: undefined, violations: [violation] }
  }
  return validateValue(contract, 'output', extracted.value, { input })
}
