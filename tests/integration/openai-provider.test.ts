import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OpenAiSettings } from '../../src/core/config/types.js'
import { ProviderError } from '../../src/core/providers/errors.js'
import { createOpenAiProvider, type OpenAiProviderOptions } from '../../src/core/providers/openai.js'
import { retryDelayMs } from '../../src/core/providers/retry.js'
import { fitsStrictSubset } from '../../src/core/providers/strict-schema.js'
import type { CompletionRequest } from '../../src/core/providers/types.js'
import { completion, failure, type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js'

const KEY = 'sk-test-9f8e7d6c5b4a-secret'
const ENV = { MACDS_TEST_KEY: KEY }
const MESSAGES = [
  { role: 'system' as const, content: 'You plan the work.' },
  { role: 'user' as const, content: 'Plan the change.' },
]
const STRICT_SCHEMA = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, steps: { type: 'array', items: { type: 'string' } } },
  required: ['ok', 'steps'],
  additionalProperties: false,
}
const LOOSE_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 } },
  required: ['name'],
}
const ANSWER = '{"ok":true,"steps":["a"]}'

let server: FakeOpenAi
beforeEach(async () => {
  server = await startFakeOpenAi()
})
afterEach(async () => {
  await server.close()
})

function settings(overrides: Partial<OpenAiSettings> = {}): OpenAiSettings {
  return {
    base_url: server.url,
    api_key_env: 'MACDS_TEST_KEY',
    max_retries: 2,
    retry_after_cap_seconds: 30,
    backoff_ms: 100,
    max_tokens: 1000,
    ...overrides,
  }
}

/** A provider against the fake server whose sleeps are recorded and return at once. */
function setup(overrides: Partial<OpenAiSettings> = {}, options: OpenAiProviderOptions = {}) {
  const delays: number[] = []
  const sleep = async (ms: number) => void delays.push(ms)
  const provider = createOpenAiProvider(settings(overrides), { env: ENV, sleep, ...options })
  return { provider, delays }
}

function request(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    agent: 'planner',
    stage: 'plan',
    attempt: 1,
    model: 'gpt-test',
    messages: MESSAGES,
    timeoutMs: 5000,
    ...overrides,
  }
}

/** The ProviderError a call fails with, checked to leak no key. */
async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => expect.fail('the call succeeded'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ProviderError)
  const { message, hint } = error as ProviderError
  expect(`${message} ${hint}`).not.toContain(KEY)
  return error as ProviderError
}

const sentFormat = (i: number) =>
  server.requests[i]?.body.response_format as Record<string, unknown> | undefined

describe('the OpenAI provider, answering', () => {
  it('returns a valid JSON answer with usage, cost, the key and a strict json_schema', async () => {
    const { provider } = setup({}, { prices: { 'gpt-test': { input: 2, output: 10 } } })
    server.reply(completion(ANSWER, { usage: { prompt_tokens: 1000, completion_tokens: 500 } }))
    const result = await provider.complete(
      request({ schema: { name: 'plan', schema: STRICT_SCHEMA }, temperature: 0.2 }),
    )
    expect(result).toEqual({
      text: ANSWER,
      model: 'gpt-test',
      usage: { prompt_tokens: 1000, completion_tokens: 500 },
      cost_usd: 0.007,
      mode: 'json_schema',
      requests: 1,
    })
    const [sent] = server.requests
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(sent?.body).toMatchObject({
      model: 'gpt-test',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 1000,
      temperature: 0.2,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'plan', schema: STRICT_SCHEMA, strict: true },
      },
    })
  })

  it('sends strict false for a schema outside the strict subset, and no response_format without a schema', async () => {
    const { provider } = setup()
    server.reply(completion('{"name":"x"}'), completion('plain words'))
    await provider.complete(request({ schema: { name: 'named', schema: LOOSE_SCHEMA } }))
    expect(sentFormat(0)).toMatchObject({ type: 'json_schema', json_schema: { strict: false } })
    const result = await provider.complete(request({ maxTokens: 64 }))
    expect(result).toMatchObject({ text: 'plain words', mode: 'text', cost_usd: 0 })
    expect(sentFormat(1)).toBeUndefined()
    expect(server.requests[1]?.body.max_tokens).toBe(64)
  })

  it('concatenates streamed chunks and estimates tokens when the server reports no usage', async () => {
    const { provider } = setup()
    server.reply({ kind: 'stream', chunks: ['{"ok":', 'true,', '"steps":[]}'], delayMs: 5 })
    const result = await provider.complete(request())
    expect(result.text).toBe('{"ok":true,"steps":[]}')
    const prompt = MESSAGES.map((m) => m.content).join('\n')
    expect(result.usage).toEqual({ prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 6 })
  })

  it('never returns the key, even when the answer repeats it', async () => {
    const { provider } = setup()
    server.reply(completion(`{"note":"my key is ${KEY}"}`))
    const result = await provider.complete(request())
    expect(JSON.stringify(result)).not.toContain(KEY)
  })

  it('sends a placeholder key when no api_key_env is configured', async () => {
    const { provider } = setup({ api_key_env: undefined })
    server.reply(completion('hi'))
    await provider.complete(request())
    expect(server.requests[0]?.headers.authorization).toBe('Bearer no-key')
  })
})

describe('the OpenAI provider, retrying', () => {
  it('waits as long as Retry-After says, then succeeds', async () => {
    const { provider, delays } = setup()
    server.reply(failure(429, 'slow down', { headers: { 'retry-after': '1' } }), completion('done'))
    const result = await provider.complete(request())
    expect(result).toMatchObject({ text: 'done', requests: 2 })
    expect(delays).toEqual([1000])
  })

  it('caps a huge Retry-After at retry_after_cap_seconds, and prefers retry-after-ms', async () => {
    const { provider, delays } = setup({ retry_after_cap_seconds: 20 })
    server.reply(
      failure(429, 'come back in an hour', { headers: { 'retry-after': '3600' } }),
      failure(503, 'busy', { headers: { 'retry-after-ms': '250', 'retry-after': '9' } }),
      completion('done'),
    )
    await provider.complete(request())
    expect(delays).toEqual([20_000, 250])
  })

  it('gives up on a server error after max_retries, naming the attempts and the last status', async () => {
    const { provider, delays } = setup({ max_retries: 2, backoff_ms: 100 })
    server.reply(failure(500, 'boom 1'), failure(502, 'boom 2'), failure(500, 'boom 3'))
    const error = await rejection(provider.complete(request()))
    expect(error.code).toBe('PROVIDER_SERVER_ERROR')
    expect(error.message).toMatch(/3 attempts.*500 boom 3/)
    expect(server.requests).toHaveLength(3)
    expect(delays).toHaveLength(2)
    expect(delays[0]).toBeGreaterThanOrEqual(90)
    expect(delays[0]).toBeLessThanOrEqual(100)
    expect(delays[1]).toBeGreaterThanOrEqual(180)
    expect(delays[1]).toBeLessThanOrEqual(200)
  })

  it('gives up on rate limits with PROVIDER_RATE_LIMITED', async () => {
    const { provider } = setup({ max_retries: 1 })
    server.reply(failure(429, 'slow down'), failure(429, 'still too fast'))
    const error = await rejection(provider.complete(request()))
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED' })
    expect(error.message).toMatch(/2 attempts.*429 still too fast/)
  })

  it('retries a stream cut mid-way and counts the tokens and cost of both attempts', async () => {
    const { provider } = setup({}, { prices: { 'gpt-test': { input: 1, output: 1 } } })
    server.reply(
      { kind: 'stream', chunks: ['{"ok":', 'tr'], end: 'drop' },
      completion(ANSWER, { usage: { prompt_tokens: 100, completion_tokens: 10 } }),
    )
    const result = await provider.complete(request())
    expect(result).toMatchObject({ text: ANSWER, requests: 2 })
    const prompt = Math.ceil(MESSAGES.map((m) => m.content).join('\n').length / 4)
    expect(result.usage).toEqual({ prompt_tokens: 100 + prompt, completion_tokens: 10 + 2 })
    expect(result.cost_usd).toBeCloseTo((100 + prompt + 12) / 1e6, 12)
  })
})

describe('the OpenAI provider, under a deadline', () => {
  it('cuts a stalled stream at the deadline with PROVIDER_TIMEOUT', async () => {
    const { provider } = setup()
    server.reply({ kind: 'stream', chunks: ['{"ok":', 'true'], end: 'stall' })
    const started = Date.now()
    const error = await rejection(provider.complete(request({ timeoutMs: 300 })))
    const elapsed = Date.now() - started
    expect(error.code).toBe('PROVIDER_TIMEOUT')
    expect(error.message).toContain('within 0.3 s')
    expect(error.hint).toContain('budgets.seconds_per_call')
    expect(error.usage.completion_tokens).toBeGreaterThan(0)
    expect(elapsed).toBeGreaterThanOrEqual(290)
    expect(elapsed).toBeLessThan(800)
  })

  it('stops promptly with PROVIDER_CANCELLED when the caller aborts a stream', async () => {
    const { provider } = setup()
    server.reply({ kind: 'stream', chunks: ['{'], end: 'stall' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    const error = await rejection(provider.complete(request({ signal: controller.signal })))
    expect(error.code).toBe('PROVIDER_CANCELLED')
    expect(Date.now() - started).toBeLessThan(500)
  })

  it('stops promptly when the caller aborts during a backoff sleep', async () => {
    const provider = createOpenAiProvider(settings(), { env: ENV })
    server.reply(failure(429, 'slow down', { headers: { 'retry-after': '10' } }))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    const error = await rejection(provider.complete(request({ signal: controller.signal })))
    expect(error.code).toBe('PROVIDER_CANCELLED')
    expect(Date.now() - started).toBeLessThan(500)
  })
  it('turns a deadline that passes during a backoff sleep into PROVIDER_TIMEOUT', async () => {
    const provider = createOpenAiProvider(settings(), { env: ENV })
    server.reply(failure(503, 'warming up', { headers: { 'retry-after': '10' } }))
    const started = Date.now()
    const error = await rejection(provider.complete(request({ timeoutMs: 200 })))
    expect(error.code).toBe('PROVIDER_TIMEOUT')
    expect(Date.now() - started).toBeLessThan(600)
    expect(server.requests).toHaveLength(1)
  })
})

describe('the OpenAI provider, with a truncated answer', () => {
  it('retries once with twice the max_tokens and sums the tokens of both requests', async () => {
    const { provider } = setup({}, { prices: { 'gpt-test': { input: 1, output: 2 } } })
    server.reply(
      completion('{"ok":tr', {
        finish_reason: 'length',
        usage: { prompt_tokens: 50, completion_tokens: 100 },
      }),
      completion(ANSWER, { usage: { prompt_tokens: 50, completion_tokens: 120 } }),
    )
    const result = await provider.complete(request({ maxTokens: 100 }))
    expect(result).toMatchObject({
      text: ANSWER,
      requests: 2,
      usage: { prompt_tokens: 100, completion_tokens: 220 },
    })
    expect(result.cost_usd).toBeCloseTo((100 + 440) / 1e6, 12)
    expect(server.requests.map((r) => r.body.max_tokens)).toEqual([100, 200])
  })

  it('fails with PROVIDER_TRUNCATED when the second answer is cut off too', async () => {
    const { provider } = setup({ max_tokens: 300 })
    const cut = { finish_reason: 'length', usage: { prompt_tokens: 10, completion_tokens: 300 } }
    server.reply(completion('{"a":', cut), completion('{"a":[', cut))
    const error = await rejection(provider.complete(request()))
    expect(error.code).toBe('PROVIDER_TRUNCATED')
    expect(error.message).toContain('cut off at 600 tokens')
    expect(error.usage).toEqual({ prompt_tokens: 20, completion_tokens: 600 })
  })

  it('fails with PROVIDER_EMPTY when the answer has no content', async () => {
    const { provider } = setup()
    server.reply(completion('', { usage: { prompt_tokens: 7, completion_tokens: 0 } }))
    const error = await rejection(provider.complete(request()))
    expect(error).toMatchObject({ code: 'PROVIDER_EMPTY', usage: { prompt_tokens: 7, completion_tokens: 0 } })
  })
})

describe('the OpenAI provider, falling back in output mode', () => {
  const schema = { name: 'plan', schema: STRICT_SCHEMA }

  it('falls back to json_object when json_schema is refused, and remembers it for the model', async () => {
    const { provider } = setup()
    server.reply(
      failure(400, "response_format type 'json_schema' is not supported", { param: 'response_format' }),
      completion(ANSWER),
      completion(ANSWER),
    )
    expect(await provider.complete(request({ schema }))).toMatchObject({ mode: 'json_object', requests: 2 })
    expect(await provider.complete(request({ schema }))).toMatchObject({ mode: 'json_object', requests: 1 })
    expect(server.requests.map((r) => (r.body.response_format as { type: string }).type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ])
  })

  it('falls back to plain text when json_object is refused too', async () => {
    const { provider } = setup()
    server.reply(
      failure(400, 'Invalid value for json_schema'),
      failure(400, 'unknown field', { code: 'unsupported_response_format' }),
      completion(ANSWER),
      completion(ANSWER),
    )
    expect(await provider.complete(request({ schema }))).toMatchObject({ mode: 'text', requests: 3 })
    expect(await provider.complete(request({ schema }))).toMatchObject({ mode: 'text', requests: 1 })
    expect(sentFormat(2)).toBeUndefined()
    expect(sentFormat(3)).toBeUndefined()
  })
})

describe('the OpenAI provider, failing clearly', () => {
  it('refuses to start without the key variable', () => {
    const create = () => createOpenAiProvider(settings(), { env: { MACDS_TEST_KEY: ' ' } })
    expect(create).toThrow(ProviderError)
    try {
      create()
    } catch (error) {
      expect(error).toMatchObject({ code: 'PROVIDER_NO_KEY', kind: 'user' })
      expect((error as ProviderError).message).toContain('MACDS_TEST_KEY')
      expect((error as ProviderError).hint).toContain('export MACDS_TEST_KEY=')
      expect((error as ProviderError).hint).toContain('--provider scripted')
    }
  })

  it('names the base URL when nothing listens there', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const base = `http://127.0.0.1:${port}/v1`
    const { provider, delays } = setup({ base_url: base })
    const error = await rejection(provider.complete(request()))
    expect(error.code).toBe('PROVIDER_UNREACHABLE')
    expect(error.message).toContain(base)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.hint).toContain('openai.base_url')
    expect(delays).toEqual([])
  })

  it('reports a refused key without repeating it', async () => {
    const { provider } = setup()
    server.reply(failure(401, `Incorrect API key provided: ${KEY}`, { code: 'invalid_api_key' }))
    const error = await rejection(provider.complete(request()))
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', kind: 'user' })
    expect(error.message).toContain('$MACDS_TEST_KEY')
    expect(error.message).toContain('Incorrect API key provided: [REDACTED]')
  })

  it.each([
    [404, 'The model `gpt-test` does not exist', undefined],
    [400, 'no such model', 'model_not_found'],
  ])('reports an unknown model (%i)', async (status, message, code) => {
    const { provider } = setup()
    server.reply(failure(status, message, { code }))
    const error = await rejection(provider.complete(request()))
    expect(error).toMatchObject({ code: 'PROVIDER_MODEL_NOT_FOUND', kind: 'user' })
    expect(error.message).toContain(`model 'gpt-test' not found at ${server.url}`)
    expect(error.hint).toContain('models:')
  })

  it.each([
    ['too long', 'context_length_exceeded'],
    ["This model's maximum context length is 8192 tokens", undefined],
  ])('reports a context that is too long (%s)', async (message, code) => {
    const { provider } = setup()
    server.reply(failure(400, message, { code }))
    const error = await rejection(provider.complete(request()))
    expect(error).toMatchObject({ code: 'PROVIDER_CONTEXT_TOO_LONG', kind: 'user' })
    expect(error.hint).toContain('larger context window')
  })

  it('passes on the message of any other bad request', async () => {
    const { provider } = setup()
    server.reply(failure(400, 'temperature must be at most 2'))
    const error = await rejection(provider.complete(request({ temperature: 5 })))
    expect(error.code).toBe('PROVIDER_BAD_REQUEST')
    expect(error.message).toContain('400 temperature must be at most 2')
  })
})

describe('retry delays and the strict subset', () => {
  const timing = { retry_after_cap_seconds: 60, backoff_ms: 1000 }
  const headers = (entries: Record<string, string>) => new Headers(entries)

  it('reads Retry-After as seconds or as an HTTP date, and backs off exponentially up to 8 s without it', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(retryDelayMs(headers({ 'retry-after': '2.5' }), 0, timing, now)).toBe(2500)
    expect(retryDelayMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), 0, timing, now)).toBe(
      30_000,
    )
    expect(retryDelayMs(headers({ 'retry-after': 'soon' }), 1, timing, now, () => 0)).toBe(2000)
    expect([0, 1, 2, 3, 4].map((i) => retryDelayMs(undefined, i, timing, now, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ])
  })

  it('admits only closed objects and allowlisted keywords', () => {
    expect(fitsStrictSubset(STRICT_SCHEMA)).toBe(true)
    expect(fitsStrictSubset(LOOSE_SCHEMA)).toBe(false)
    expect(fitsStrictSubset({ ...STRICT_SCHEMA, required: ['ok'] })).toBe(false)
    const withDefs = {
      ...STRICT_SCHEMA,
      properties: { ok: { $ref: '#/$defs/flag' }, steps: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      $defs: { flag: { type: 'boolean', description: 'yes or no' } },
    }
    expect(fitsStrictSubset(withDefs)).toBe(true)
    const nested = {
      ...STRICT_SCHEMA,
      properties: {
        ...STRICT_SCHEMA.properties,
        steps: { type: 'array', items: { type: 'string', pattern: '^a' } },
      },
    }
    expect(fitsStrictSubset(nested)).toBe(false)
    expect(fitsStrictSubset({ ...withDefs, $defs: { flag: { oneOf: [] } } })).toBe(false)
  })
})

describe('the OpenAI provider, adjusting parameters a model refuses', () => {
  it('switches to max_completion_tokens and drops the temperature, remembered for the model', async () => {
    const { provider } = setup()
    server.reply(
      failure(
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        {
          param: 'max_tokens',
          code: 'unsupported_parameter',
        },
      ),
      failure(
        400,
        "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
        {
          param: 'temperature',
          code: 'unsupported_value',
        },
      ),
      completion(ANSWER),
      completion(ANSWER),
    )
    const first = await provider.complete(request({ temperature: 0.2, maxTokens: 300 }))
    expect(first).toMatchObject({ text: ANSWER, requests: 3 })
    const bodies = server.requests.map((r) => r.body)
    expect(bodies[0]).toMatchObject({ max_tokens: 300, temperature: 0.2 })
    expect(bodies[1]).toMatchObject({ max_completion_tokens: 300, temperature: 0.2 })
    expect(bodies[1]).not.toHaveProperty('max_tokens')
    expect(bodies[2]).toMatchObject({ max_completion_tokens: 300 })
    expect(bodies[2]).not.toHaveProperty('temperature')
    await provider.complete(request({ temperature: 0.2, maxTokens: 300 }))
    expect(bodies.length + 1).toBe(server.requests.length)
    expect(server.requests[3]?.body).not.toHaveProperty('temperature')
    expect(server.requests[3]?.body).toMatchObject({ max_completion_tokens: 300 })
  })

  it('fails as a bad request when the adjusted request is refused again', async () => {
    const { provider } = setup()
    const refused = failure(400, "'max_tokens' is not supported", { param: 'max_tokens' })
    server.reply(refused, refused)
    const error = await rejection(provider.complete(request()))
    expect(error.code).toBe('PROVIDER_BAD_REQUEST')
    expect(server.requests).toHaveLength(2)
  })
})
