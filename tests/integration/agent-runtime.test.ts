import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BudgetLedger } from '../../src/core/agents/budget.js'
import type { AgentEvent } from '../../src/core/agents/events.js'
import { createPromptStore } from '../../src/core/agents/prompt-store.js'
import { type AgentTask, runAgent } from '../../src/core/agents/runtime.js'
import { DEFAULT_CONFIG } from '../../src/core/config/defaults.js'
import { compileContract } from '../../src/core/contracts/compile.js'
import { createOpenAiProvider } from '../../src/core/providers/openai.js'
import { loadScript } from '../../src/core/providers/script.js'
import { createScriptedProvider } from '../../src/core/providers/scripted.js'
import { createRedactor } from '../../src/core/secrets.js'
import { agentDefinition } from '../helpers/agent-definition.js'
import { SMALL_CONTRACT } from '../helpers/contract-text.js'
import { completion, type FakeOpenAi, failure, startFakeOpenAi } from '../helpers/fake-openai.js'
import { tempDir } from '../helpers/temp.js'
import { readPrompts } from '../helpers/prompts.js'

const KEY = 'test-key-0123456789-abcdef'
const compiled = compileContract(SMALL_CONTRACT, 'sample.yaml')
if (!compiled.ok) throw new Error('the sample contract must compile')
const contract = compiled.contract

const agent = agentDefinition()

const VALID = { components: [{ name: 'api', kind: 'service' }], summary: 'one service' }
const usage = { prompt_tokens: 100, completion_tokens: 20 }

let server: FakeOpenAi
beforeEach(async () => {
  server = await startFakeOpenAi()
})
afterEach(async () => {
  await server.close()
})

/** Runs the sample task through the OpenAI provider against the fake server, collecting events and prompts. */
async function run(task: Partial<AgentTask> = {}, ledger = new BudgetLedger()) {
  const settings = {
    ...DEFAULT_CONFIG.openai,
    base_url: server.url,
    api_key_env: 'MACDS_TEST_KEY',
    backoff_ms: 1,
  }
  const provider = createOpenAiProvider(settings, {
    env: { MACDS_TEST_KEY: KEY },
    prices: { 'small-model': { input: 1, output: 4 } },
    sleep: async () => {},
  })
  const dir = await tempDir()
  const events: AgentEvent[] = []
  const outcome = await runAgent(
    { agent, contract, stage: 'design', input: { names: ['api'] }, model: 'small-model', ...task },
    {
      provider,
      ledger,
      emit: (e) => events.push(e),
      prompts: createPromptStore(join(dir, 'prompts.jsonl'), createRedactor([KEY])),
    },
  )
  return { outcome, events, dir, types: events.map((e) => e.type) }
}

describe('agent runtime against an OpenAI-compatible server', () => {
  it('accepts a valid answer first time, with the schema and role text in the prompt', async () => {
    server.reply(completion(JSON.stringify(VALID), { usage }))
    const { outcome, types } = await run()
    expect(outcome).toMatchObject({ ok: true, output: VALID, warnings: [], attempts: 1, usage })
    expect(types).toEqual(['agent.attempt_started', 'agent.output_received', 'agent.accepted'])
    const [system, user] = server.requests[0]?.body.messages as { content: string }[]
    expect(system?.content).toContain('You design components.')
    expect(system?.content).toContain('"components"')
    expect(system?.content).toContain('SMP-001 (error): Must define at least one component')
    expect(user?.content).toContain('"names"')
  })

  it('accepts an answer in a fenced block with prose around it', async () => {
    server.reply(completion(`Here you go:\n\`\`\`json\n${JSON.stringify(VALID)}\n\`\`\`\nAnything else?`))
    const { outcome } = await run()
    expect(outcome).toMatchObject({ ok: true, output: VALID })
  })

  it('repairs garbage, sending the violations back with rule, location and fix', async () => {
    server.reply(
      completion('I am not sure what you want.', { usage }),
      completion(JSON.stringify({ components: [{ name: 'db', kind: 'service' }] }), { usage }),
      completion(JSON.stringify(VALID), { usage }),
    )
    const { outcome, types, events } = await run()
    // Each violation carries what it points at: the text that was not JSON, then the bad value.
    const [first, second_] = events.filter((e) => e.type === 'agent.violations')
    expect(first).toMatchObject({ values: ['I am not sure what you want.'] })
    expect(second_).toMatchObject({ values: expect.arrayContaining(['[{"name":"db","kind":"service"}]']) })
    expect(outcome).toMatchObject({
      ok: true,
      attempts: 3,
      usage: { prompt_tokens: 300, completion_tokens: 60 },
    })
    expect(types).toEqual([
      ...['agent.attempt_started', 'agent.output_received', 'agent.violations'],
      ...['agent.attempt_started', 'agent.output_received', 'agent.violations'],
      ...['agent.attempt_started', 'agent.output_received', 'agent.repaired', 'agent.accepted'],
    ])
    const second = server.requests[1]?.body.messages as { role: string; content: string }[]
    expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(second[3]?.content).toContain('[JSON] at the whole answer')
    const third = server.requests[2]?.body.messages as { role: string; content: string }[]
    expect(third[5]?.content).toContain(
      '[SMP-003] at /components: Every name in the input needs a component. Fix: Add a component for each input name',
    )
  })

  it('fails after max_repairs with the violations of the last answer', async () => {
    const invalid = completion(JSON.stringify({ components: [] }), { usage })
    server.reply(invalid, invalid, invalid)
    const { outcome, events } = await run()
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome).toMatchObject({ reason: 'violations', code: 'CONTRACT_VIOLATED', attempts: 3 })
    expect(outcome.message).toContain('after 2 repairs')
    expect(outcome.violations.map((v) => v.rule_id)).toEqual(expect.arrayContaining(['SMP-001', 'SMP-003']))
    expect(server.requests).toHaveLength(3)
    expect(events.at(-2)).toMatchObject({ type: 'agent.violations', will_repair: false })
    expect(events.at(-1)).toMatchObject({ type: 'agent.failed', reason: 'violations' })
  })

  it('charges tokens and cost of every request, retries and repairs included', async () => {
    server.reply(
      failure(500, 'overloaded'),
      completion('garbage', { usage }),
      completion(JSON.stringify(VALID), { usage: { prompt_tokens: 200, completion_tokens: 50 } }),
    )
    const ledger = new BudgetLedger()
    const { outcome } = await run({}, ledger)
    expect(outcome).toMatchObject({
      ok: true,
      attempts: 2,
      usage: { prompt_tokens: 300, completion_tokens: 70 },
    })
    // 300 prompt tokens at $1/M plus 70 completion tokens at $4/M.
    expect(outcome.cost_usd).toBeCloseTo(0.00058, 10)
    expect(ledger.tokens('writer')).toBe(370)
    expect(ledger.cost('writer')).toBeCloseTo(0.00058, 10)
    expect(ledger.calls('writer', 'design')).toBe(2)
  })

  it('stops with a budget error when the token budget is spent, repairs included', async () => {
    server.reply(completion('garbage', { usage: { prompt_tokens: 900, completion_tokens: 200 } }))
    const tight = { ...agent, budgets: { ...agent.budgets, tokens_per_run: 1000 } }
    const { outcome } = await run({ agent: tight })
    expect(outcome).toMatchObject({ ok: false, reason: 'budget', code: 'BUDGET_SPENT', attempts: 1 })
    if (!outcome.ok) expect(outcome.message).toContain('used 1100 tokens of its 1000')
    expect(server.requests).toHaveLength(1)
  })

  it('stops when the calls for the stage are spent, across tasks of the same run', async () => {
    server.reply(completion(JSON.stringify(VALID)), completion('garbage'))
    const ledger = new BudgetLedger()
    const limited = { ...agent, budgets: { ...agent.budgets, calls_per_stage: 2 } }
    expect((await run({ agent: limited }, ledger)).outcome.ok).toBe(true)
    const { outcome } = await run({ agent: limited }, ledger)
    expect(outcome).toMatchObject({ ok: false, reason: 'budget' })
    if (!outcome.ok) expect(outcome.message).toContain('2 calls of its 2 for stage design')
  })

  it('refuses an input the contract rejects without calling the model', async () => {
    const { outcome } = await run({ input: { names: 'api' } })
    expect(outcome).toMatchObject({ ok: false, reason: 'input_invalid', attempts: 0 })
    expect(server.requests).toHaveLength(0)
  })

  it('passes on provider failures as data with their code and hint', async () => {
    server.reply(failure(401, 'Incorrect API key provided', { code: 'invalid_api_key' }))
    const { outcome } = await run()
    expect(outcome).toMatchObject({ ok: false, reason: 'provider', code: 'PROVIDER_AUTH' })
    if (!outcome.ok) expect(outcome.hint).toBeTruthy()
  })

  it('keeps every prompt and answer on disk without the key', async () => {
    server.reply(
      completion(`my key is ${KEY}, and sk-abcdefghijklmnop0123456789`),
      completion(JSON.stringify(VALID)),
    )
    const input = { names: ['api'], note: `Authorization: Bearer ${KEY}` }
    const { outcome, dir } = await run({ input })
    expect(outcome.ok).toBe(true)
    expect(await readdir(dir)).toEqual(['prompts.jsonl'])
    const text = await readFile(join(dir, 'prompts.jsonl'), 'utf8')
    expect(text).not.toContain(KEY)
    expect(text).not.toContain('sk-abcdefghijklmnop')
    const calls = await readPrompts(join(dir, 'prompts.jsonl'))
    expect(calls.map((c) => [c.agent, c.stage, c.attempt, c.model])).toEqual([
      ['writer', 'design', 1, 'small-model'],
      ['writer', 'design', 2, 'small-model'],
    ])
    expect(calls[0]?.response).toContain('[REDACTED]')
    expect(JSON.stringify(calls[0]?.messages)).toContain('[REDACTED]')
  })
})

describe('agent runtime with the scripted provider', () => {
  it('matches repair steps by attempt', async () => {
    const file = join(await tempDir(), 'script.yaml')
    await writeFile(
      file,
      `version: 1\nsteps:\n  - { agent: writer, attempt: 2, output: ${JSON.stringify(VALID)} }\n  - { agent: writer, attempt: 1, raw: "no idea" }\n`,
    )
    const provider = createScriptedProvider(await loadScript(file))
    const outcome = await runAgent(
      { agent, contract, stage: 'design', input: { names: ['api'] }, model: 'm' },
      { provider, ledger: new BudgetLedger() },
    )
    expect(outcome).toMatchObject({ ok: true, attempts: 2, output: VALID })
  })

  it('fails with the provider error when the script has no step left', async () => {
    const file = join(await tempDir(), 'script.yaml')
    await writeFile(file, 'version: 1\nsteps:\n  - { agent: writer, raw: "no idea" }\n')
    const provider = createScriptedProvider(await loadScript(file))
    const outcome = await runAgent(
      { agent, contract, stage: 'design', input: { names: ['api'] }, model: 'm' },
      { provider, ledger: new BudgetLedger() },
    )
    expect(outcome).toMatchObject({ ok: false, reason: 'provider', code: 'SCRIPT_NO_STEP', attempts: 2 })
  })
})
