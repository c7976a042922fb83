import { execFileSync } from 'node:child_process'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BudgetLedger } from '../../src/core/agents/budget.js'
import type { AgentEvent } from '../../src/core/agents/events.js'
import { runAgent } from '../../src/core/agents/runtime.js'
import { type AgentDefinition, DEFAULT_BUDGETS } from '../../src/core/agents/types.js'
import { DEFAULT_CONFIG } from '../../src/core/config/defaults.js'
import { compileContract } from '../../src/core/contracts/compile.js'
import { createOpenAiProvider } from '../../src/core/providers/openai.js'
import type { Provider } from '../../src/core/providers/types.js'
import { readTools } from '../../src/core/run/toolbox.js'
import { DEFAULT_READ_DENY } from '../../src/core/tools/index.js'
import { agentDefinition } from '../helpers/agent-definition.js'
import { SMALL_CONTRACT } from '../helpers/contract-text.js'
import { completion, type FakeOpenAi, failure, startFakeOpenAi, toolCalls } from '../helpers/fake-openai.js'
import { tempDir } from '../helpers/temp.js'

const compiled = compileContract(SMALL_CONTRACT, 'sample.yaml')
if (!compiled.ok) throw new Error('the sample contract must compile')
const contract = compiled.contract
const VALID = { components: [{ name: 'api', kind: 'service' }], summary: 'one service' }
const SECRET = 'sk-live-abcdefghijklmnop0123456789'

function agentWith(calls_per_stage = 6): AgentDefinition {
  return agentDefinition({
    temperature: undefined,
    budgets: { ...DEFAULT_BUDGETS, calls_per_stage, seconds_per_call: 5 },
    permissions: {
      files: { allow: [], deny: [] },
      read: { allow: ['**'], deny: [...DEFAULT_READ_DENY] },
      artifacts: [],
    },
  })
}

/** A git work tree with two source files, a secret in .env, and a link that leads out of it. */
async function repository(): Promise<string> {
  const root = await tempDir()
  const outside = await tempDir()
  await mkdir(join(root, 'src'))
  await writeFile(join(root, 'src', 'api.ts'), 'export function serve() {\n  return 42\n}\n')
  await writeFile(join(root, 'src', 'db.ts'), 'export const table = "users"\n')
  await writeFile(join(root, '.env'), `API_KEY=${SECRET}\n`)
  await writeFile(join(outside, 'private.txt'), 'PRIVATE-CONTENT-7731\n')
  await symlink(join(outside, 'private.txt'), join(root, 'src', 'link.txt'))
  execFileSync('git', ['init', '-q'], { cwd: root })
  return root
}

let server: FakeOpenAi
beforeEach(async () => {
  server = await startFakeOpenAi()
})
afterEach(async () => {
  await server.close()
})

function provider(): Provider {
  const settings = { ...DEFAULT_CONFIG.openai, base_url: server.url, api_key_env: undefined, backoff_ms: 1 }
  return createOpenAiProvider(settings, { sleep: async () => {} })
}

async function ask(root: string, agent: AgentDefinition, using = provider()) {
  const events: AgentEvent[] = []
  const outcome = await runAgent(
    {
      agent,
      contract,
      stage: 'design',
      input: { names: ['api'] },
      model: 'small-model',
      tools: readTools(root, agent),
    },
    { provider: using, ledger: new BudgetLedger(), emit: (e) => events.push(e) },
  )
  return { outcome, events, types: events.map((e) => e.type) }
}

type ToolEvent = Extract<AgentEvent, { type: 'agent.tool_called' }>
const toolEvents = (events: AgentEvent[]) =>
  events.filter((e): e is ToolEvent => e.type === 'agent.tool_called')
const sentMessages = (index: number) =>
  server.requests[index]?.body.messages as { role: string; content: string; tool_call_id?: string }[]

describe('agents calling read-only tools through function calling', () => {
  it('reads two files, then answers with the files in view', async () => {
    const root = await repository()
    server.reply(
      toolCalls(
        { name: 'read_file', arguments: { path: 'src/api.ts', from_line: null, to_line: null } },
        { name: 'read_file', arguments: { path: 'src/db.ts', from_line: null, to_line: null } },
      ),
      completion(JSON.stringify(VALID)),
    )
    const { outcome, types, events } = await ask(root, agentWith())
    expect(outcome).toMatchObject({ ok: true, output: VALID, attempts: 1 })
    expect(types).toEqual([
      'agent.attempt_started',
      'agent.output_received',
      'agent.tool_called',
      'agent.tool_called',
      'agent.output_received',
      'agent.accepted',
    ])
    expect(events[1]).toMatchObject({ tool_calls: 2 })
    expect(toolEvents(events).map((e) => [e.tool, e.ok])).toEqual([
      ['read_file', true],
      ['read_file', true],
    ])
    const offered = server.requests[0]?.body.tools as { function: { name: string } }[]
    expect(offered.map((t) => t.function.name).sort()).toEqual(['list_files', 'read_file', 'search'])
    const second = sentMessages(1)
    const toolMessages = second.filter((m) => m.role === 'tool')
    expect(toolMessages.map((m) => m.tool_call_id)).toEqual(['call_fake_1', 'call_fake_2'])
    expect(toolMessages[0]?.content).toContain('return 42')
    expect(toolMessages[1]?.content).toContain('users')
  })

  it('refuses paths out of the work tree and secrets, with errors the model reads, and goes on', async () => {
    const root = await repository()
    const reads = ['../../etc/passwd', '/etc/passwd', 'src/link.txt', '.env'].map((path) => ({
      name: 'read_file',
      arguments: { path, from_line: null, to_line: null },
    }))
    server.reply(
      toolCalls(...reads),
      toolCalls({ name: 'search', arguments: { pattern: 'API_KEY', glob: null } }),
      completion(JSON.stringify(VALID)),
    )
    const { outcome, events } = await ask(root, agentWith())
    expect(outcome).toMatchObject({ ok: true, output: VALID })
    const refused = toolEvents(events).slice(0, 4)
    expect(refused.map((e) => e.ok)).toEqual([false, false, false, false])
    for (const event of refused) expect(event.error).toBeTruthy()
    const answers = sentMessages(1).filter((m) => m.role === 'tool')
    expect(answers).toHaveLength(4)
    expect(answers.map((m) => m.content).join('\n')).not.toContain('PRIVATE-CONTENT-7731')
    expect(answers.map((m) => m.content).join('\n')).not.toContain('root:')
    const everything = JSON.stringify(server.requests.map((r) => r.body))
    expect(everything).not.toContain(SECRET)
  })

  it('stops a model that keeps calling tools once its calls for the stage are spent', async () => {
    const root = await repository()
    const listing = { name: 'list_files', arguments: { glob: 'src/**' } }
    server.reply(toolCalls(listing), toolCalls(listing), toolCalls(listing), toolCalls(listing))
    const { outcome, events } = await ask(root, agentWith(3))
    expect(outcome).toMatchObject({ ok: false, reason: 'budget', code: 'BUDGET_SPENT' })
    if (outcome.ok) throw new Error('unreachable')
    expect(outcome.message).toMatch(/3 calls of its 3/)
    expect(server.requests).toHaveLength(3)
    expect(toolEvents(events)).toHaveLength(3)
  })

  it('falls back to prompts without tools on a server without function calling, and says so once', async () => {
    const root = await repository()
    const using = provider()
    server.reply(
      failure(400, "'tools' is not supported with this model", { param: 'tools' }),
      completion(JSON.stringify(VALID)),
      completion(JSON.stringify(VALID)),
    )
    const first = await ask(root, agentWith(), using)
    expect(first.outcome).toMatchObject({ ok: true, output: VALID })
    expect(first.types.filter((t) => t === 'agent.tools_unavailable')).toHaveLength(1)
    expect(server.requests[0]?.body.tools).toBeDefined()
    expect(server.requests[1]?.body.tools).toBeUndefined()
    const second = await ask(root, agentWith(), using)
    expect(second.outcome).toMatchObject({ ok: true })
    expect(second.types).not.toContain('agent.tools_unavailable')
    expect(server.requests[2]?.body.tools).toBeUndefined()
  })
})
