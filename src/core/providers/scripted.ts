import { basename } from 'node:path'
import { sleep } from '../sleep.js'
import { ProviderError } from './errors.js'
import type { Script, ScriptStep } from './script.js'
import {
  type CompletionRequest,
  type CompletionResult,
  estimateTokens,
  type Provider,
  tokensForChars,
} from './types.js'

/** The scripted provider, with what it has used so far. */
export interface ScriptedProvider extends Provider {
  /** Steps not used yet, in script order. */
  remaining(): ScriptStep[]
}

/**
 * Answers from a script instead of a model: the first unused step matching the request's agent
 * (and stage, task and attempt, where the step gives them) answers, honouring its delay and the call's
 * deadline. No matching step is a provider error that says what to add.
 */
export function createScriptedProvider(script: Script): ScriptedProvider {
  const used = new Set<number>()
  const take = stepTaker(script.steps, used)
  return {
    name: 'scripted',
    remaining: () => script.steps.filter((_, index) => !used.has(index)),
    resumeAfter(calls) {
      for (const call of calls) take(call)
    },
    async complete(request) {
      const index = take(request)
      const step = script.steps[index]
      if (!step) throw noStep(script, request, used.size)
      await wait(step.delay_ms ?? 0, request)
      return answer(step, request, index)
    },
  }
}

/**
 * Finds the first unused step matching a request, marks it used and returns its index (-1: none).
 * Only the steps of the request's agent are looked at, from the first of them not used yet, so a long
 * script answered mostly in order costs about one look per call, not one per step.
 */
function stepTaker(
  steps: readonly ScriptStep[],
  used: Set<number>,
): (request: Pick<CompletionRequest, 'agent' | 'stage' | 'task' | 'attempt'>) => number {
  const byAgent = new Map<string, number[]>()
  for (const [index, step] of steps.entries()) {
    const list = byAgent.get(step.agent)
    if (list) list.push(index)
    else byAgent.set(step.agent, [index])
  }
  const firstOpen = new Map<string, number>()
  return (request) => {
    const list = byAgent.get(request.agent) ?? []
    let start = firstOpen.get(request.agent) ?? 0
    while (start < list.length && used.has(list[start] as number)) start++
    firstOpen.set(request.agent, start)
    for (let k = start; k < list.length; k++) {
      const index = list[k] as number
      if (!used.has(index) && matches(steps[index] as ScriptStep, request)) {
        used.add(index)
        return index
      }
    }
    return -1
  }
}

/** Whether a step of the request's agent answers it: the stage, task and attempt it gives, if any, match. */
function matches(step: ScriptStep, request: Pick<CompletionRequest, 'stage' | 'task' | 'attempt'>): boolean {
  return (
    (step.stage === undefined || step.stage === request.stage) &&
    (step.task === undefined || step.task === request.task) &&
    (step.attempt === undefined || step.attempt === request.attempt)
  )
}

async function wait(ms: number, request: CompletionRequest): Promise<void> {
  const deadline = Math.min(ms, request.timeoutMs)
  try {
    if (deadline > 0) await sleep(deadline, request.signal)
  } catch (error) {
    throw new ProviderError('PROVIDER_CANCELLED', 'the call was cancelled', { cause: error })
  }
  if (ms > request.timeoutMs) {
    throw new ProviderError(
      'PROVIDER_TIMEOUT',
      `no complete answer within ${request.timeoutMs / 1000} s (the scripted step waits ${ms} ms)`,
      { hint: "Raise the agent's budgets.seconds_per_call, or lower the step's delay_ms." },
    )
  }
}

function answer(step: ScriptStep, request: CompletionRequest, index: number): CompletionResult {
  const tool_calls = step.tool_calls?.map(({ name, arguments: args }, i) => ({
    id: `call_${index + 1}_${i + 1}`,
    name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
  }))
  const text = tool_calls ? '' : (step.raw ?? outputText(step.output))
  // The prompt's length as if its messages were joined by newlines, without joining them.
  let promptChars = request.messages.length - 1
  for (const message of request.messages) promptChars += message.content.length
  const spent = tool_calls ? JSON.stringify(tool_calls) : text
  return {
    text,
    model: request.model,
    usage: step.usage ?? {
      prompt_tokens: tokensForChars(promptChars),
      completion_tokens: estimateTokens(spent),
    },
    cost_usd: 0,
    mode: 'text',
    requests: 1,
    ...(tool_calls ? { tool_calls } : {}),
  }
}

/** An output as the answer's text, indented; worked out once per output (a script may repeat one). */
const outputTexts = new WeakMap<object, string>()

function outputText(output: unknown): string {
  if (typeof output !== 'object' || output === null) return JSON.stringify(output, null, 2)
  let text = outputTexts.get(output)
  if (text === undefined) {
    text = JSON.stringify(output, null, 2)
    outputTexts.set(output, text)
  }
  return text
}

function noStep(script: Script, request: CompletionRequest, usedCount: number): ProviderError {
  const left = script.steps.length - usedCount
  const want = `agent: ${request.agent}, stage: ${request.stage}, attempt: ${request.attempt}`
  return new ProviderError(
    'SCRIPT_NO_STEP',
    `the script ${basename(script.file)} has no step left for ${request.agent} (stage ${request.stage}, attempt ${request.attempt}); ${usedCount} used, ${left} left`,
    { hint: `Add a step with ${want} (stage and attempt are optional) to ${script.file}.` },
  )
}
