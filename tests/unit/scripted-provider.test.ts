import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScript } from '../../src/core/providers/script.js'
import { createScriptedProvider } from '../../src/core/providers/scripted.js'
import type { CompletionRequest } from '../../src/core/providers/types.js'
import { rejection } from '../helpers/rejection.js'
import { tempDir } from '../helpers/temp.js'

async function scriptFile(text: string): Promise<string> {
  const file = join(await tempDir(), 'script.yaml')
  await writeFile(file, text)
  return file
}

function request(agent: string, stage: string, attempt = 1, extra: Partial<CompletionRequest> = {}) {
  return {
    agent,
    stage,
    attempt,
    model: 'm',
    messages: [{ role: 'user' as const, content: 'hi' }],
    timeoutMs: 5000,
    ...extra,
  }
}

const SCRIPT = `version: 1
steps:
  - agent: product
    output: { first: true }
  - agent: architect
    stage: final_approval
    output: { approved: true }
  - agent: architect
    output: { components: [] }
  - agent: implementation
    attempt: 2
    raw: "fixed"
    usage: { prompt_tokens: 1200, completion_tokens: 300 }
  - agent: implementation
    raw: "\`\`\`json\\n{\\"a\\": 1}\\n\`\`\`"
  - agent: product
    output: { second: true }
`

describe('scripted provider', () => {
  it('answers with the first unused step matching agent, stage and attempt', async () => {
    const provider = createScriptedProvider(await loadScript(await scriptFile(SCRIPT)))
    // The stage-specific step is skipped for another stage, and used when its stage asks.
    expect((await provider.complete(request('architect', 'architecture'))).text).toContain('components')
    expect(JSON.parse((await provider.complete(request('architect', 'final_approval'))).text)).toEqual({
      approved: true,
    })
    // Attempt 1 skips the attempt-2 step; attempt 2 takes it, with the usage the script gives.
    expect((await provider.complete(request('implementation', 'implementation', 1))).text).toBe(
      '```json\n{"a": 1}\n```',
    )
    const repair = await provider.complete(request('implementation', 'implementation', 2))
    expect(repair.text).toBe('fixed')
    expect(repair.usage).toEqual({ prompt_tokens: 1200, completion_tokens: 300 })
    // Steps of one agent are consumed in order.
    expect(JSON.parse((await provider.complete(request('product', 'requirements'))).text)).toEqual({
      first: true,
    })
    expect(JSON.parse((await provider.complete(request('product', 'requirements'))).text)).toEqual({
      second: true,
    })
    expect(provider.remaining()).toEqual([])
  })

  it('looks at about one step per call on a long script answered in order', async () => {
    const steps = Array.from(
      { length: 2000 },
      (_, i) => `  - agent: ${i % 2 ? 'a' : 'b'}\n    output: { n: ${i} }\n`,
    )
    const script = await loadScript(await scriptFile(`version: 1\nsteps:\n${steps.join('')}`))
    let looks = 0
    const counted = new Proxy(script.steps, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) looks++
        return Reflect.get(target, key, receiver)
      },
    })
    const provider = createScriptedProvider({ ...script, steps: counted })
    looks = 0
    for (let i = 0; i < 2000; i++) {
      const answer = await provider.complete(request(i % 2 ? 'a' : 'b', 's'))
      expect(JSON.parse(answer.text)).toEqual({ n: i })
    }
    // Searching the whole script each time would look at about 2,000 × 1,000 steps.
    expect(looks).toBeLessThan(5 * 2000)
  })

  it('estimates usage when the step gives none', async () => {
    const provider = createScriptedProvider(await loadScript(await scriptFile(SCRIPT)))
    const result = await provider.complete(request('product', 'requirements'))
    expect(result.usage.completion_tokens).toBe(Math.ceil(result.text.length / 4))
    expect(result.usage.prompt_tokens).toBe(1)
  })

  it('fails clearly when no step is left for the request', async () => {
    const provider = createScriptedProvider(await loadScript(await scriptFile(SCRIPT)))
    const error = await rejection(provider.complete(request('reviewer', 'review', 1)))
    expect(error.code).toBe('SCRIPT_NO_STEP')
    expect(error.message).toContain('no step left for reviewer (stage review, attempt 1); 0 used, 6 left')
    expect(error.hint).toContain('agent: reviewer, stage: review')
  })

  it('waits delay_ms, and a delay beyond the deadline is a timeout', async () => {
    const file = await scriptFile(
      'version: 1\nsteps:\n  - { agent: a, raw: x, delay_ms: 60 }\n  - { agent: a, raw: y, delay_ms: 5000 }\n',
    )
    const provider = createScriptedProvider(await loadScript(file))
    const started = Date.now()
    expect((await provider.complete(request('a', 's'))).text).toBe('x')
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    const error = await rejection(provider.complete(request('a', 's', 1, { timeoutMs: 50 })))
    expect(error.code).toBe('PROVIDER_TIMEOUT')
  })

  it('stops waiting when the call is cancelled', async () => {
    const file = await scriptFile('version: 1\nsteps:\n  - { agent: a, raw: x, delay_ms: 5000 }\n')
    const provider = createScriptedProvider(await loadScript(file))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const error = await rejection(provider.complete(request('a', 's', 1, { signal: controller.signal })))
    expect(error.code).toBe('PROVIDER_CANCELLED')
  })

  it('answers a step with tool_calls with those calls, and the next step with its output', async () => {
    const file = await scriptFile(`version: 1
steps:
  - agent: architect
    tool_calls:
      - name: read_file
        arguments: { path: src/api.ts }
      - name: search
        arguments: '{"pattern": "serve"}'
  - agent: architect
    output: { components: [] }
`)
    const provider = createScriptedProvider(await loadScript(file))
    const asked = await provider.complete(request('architect', 'architecture'))
    expect(asked.text).toBe('')
    expect(asked.tool_calls).toEqual([
      { id: 'call_1_1', name: 'read_file', arguments: '{"path":"src/api.ts"}' },
      { id: 'call_1_2', name: 'search', arguments: '{"pattern": "serve"}' },
    ])
    const answered = await provider.complete(request('architect', 'architecture'))
    expect(JSON.parse(answered.text)).toEqual({ components: [] })
    expect(answered.tool_calls).toBeUndefined()
  })

  it('refuses a step with both an answer and tool calls, saying which keys are allowed', async () => {
    const file = await scriptFile(
      'version: 1\nsteps:\n  - agent: a\n    output: {}\n    tool_calls: [{ name: list_files, arguments: {} }]\n',
    )
    const error = await rejection(loadScript(file))
    expect(error.code).toBe('SCRIPT_INVALID')
    expect(error.message).toContain('exactly one of output, raw or tool_calls')
  })

  it('reports every problem of a script at file:line:col', async () => {
    const file = await scriptFile(
      'version: 1\nsteps:\n  - agent: a\n    ouptut: {}\n  - agent: b\n    raw: x\n    output: {}\n  - stage: s\n    raw: y\n',
    )
    const error = await rejection(loadScript(file))
    expect(error.code).toBe('SCRIPT_INVALID')
    expect(error.message).toContain(`${file}:4:5`)
    expect(error.message).toMatch(/ouptut/)
    expect(error.message).toContain(`${file}:8:5`)
    expect(error.message).toMatch(/agent/)
  })
})
