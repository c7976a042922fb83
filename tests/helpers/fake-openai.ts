import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Token counts as the server reports them. */
export interface FakeUsage {
  prompt_tokens: number
  completion_tokens: number
}

/**
 * One scripted answer of the fake server:
 * - `completion`: a whole answer, sent as SSE chunks when the request streams and as JSON otherwise;
 * - `stream`: explicit SSE chunks, with a delay between them, and optionally a stall (the response
 *   never ends) or a drop (the connection is cut) after the last chunk;
 * - `error`: a status with an OpenAI-style `{ error: { message, type, code, param } }` body;
 * - `tools`: an answer that calls tools, streamed the way OpenAI streams them (the name first, the
 *   arguments in two pieces), finishing with `tool_calls`.
 */
export type FakeReply =
  | { kind: 'tools'; calls: { name: string; arguments: unknown }[]; usage?: FakeUsage }
  | { kind: 'completion'; content: string; finish_reason?: string; usage?: FakeUsage }
  | {
      kind: 'stream'
      chunks: string[]
      finish_reason?: string
      usage?: FakeUsage
      delayMs?: number
      end?: 'done' | 'stall' | 'drop'
    }
  | {
      kind: 'error'
      status: number
      message: string
      type?: string
      code?: string
      param?: string
      headers?: Record<string, string>
    }

/** A request the fake server received. */
export interface RecordedRequest {
  headers: IncomingHttpHeaders
  body: Record<string, unknown>
}

/** A running fake server; `url` is the base URL to give the client (it ends in /v1). */
export interface FakeOpenAi {
  url: string
  requests: RecordedRequest[]
  /** Queues replies, answered in order, one per request. */
  reply(...replies: FakeReply[]): void
  close(): Promise<void>
}

/** A completion reply, for brevity. */
export function completion(
  content: string,
  extra: Omit<Extract<FakeReply, { kind: 'completion' }>, 'kind' | 'content'> = {},
): FakeReply {
  return { kind: 'completion', content, ...extra }
}

/** A reply that calls tools, for brevity; arguments are sent as the JSON text of the value given. */
export function toolCalls(...calls: { name: string; arguments: unknown }[]): FakeReply {
  return { kind: 'tools', calls }
}

/** An error reply, for brevity. */
export function failure(
  status: number,
  message: string,
  extra: Omit<Extract<FakeReply, { kind: 'error' }>, 'kind' | 'status' | 'message'> = {},
): FakeReply {
  return { kind: 'error', status, message, ...extra }
}

/**
 * Starts a real HTTP server on 127.0.0.1 (a free port) that answers `POST /v1/chat/completions`
 * from a queue of scripted replies and records every request. Without a reply queued it answers
 * 500 `fake-openai: no reply queued`, so a test that sends more than it expects fails visibly.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeReply[] = []
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        return sendJson(res, 404, {
          error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' },
        })
      }
      const body = JSON.parse(raw) as Record<string, unknown>
      requests.push({ headers: req.headers, body })
      const reply = queue.shift() ?? failure(500, 'fake-openai: no reply queued')
      void answer(res, reply, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

async function answer(res: ServerResponse, reply: FakeReply, body: Record<string, unknown>): Promise<void> {
  const model = String(body.model)
  if (reply.kind === 'error') {
    const { status, message, type = 'invalid_request_error', code = null, param = null } = reply
    return sendJson(res, status, { error: { message, type, code, param } }, reply.headers)
  }
  if (reply.kind === 'completion' && body.stream !== true) {
    const message = { role: 'assistant', content: reply.content }
    const choice = { index: 0, message, finish_reason: reply.finish_reason ?? 'stop' }
    return sendJson(res, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      model,
      choices: [choice],
      usage: reply.usage && withTotal(reply.usage),
    })
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`)
  const chunk = (delta: object, finish_reason: string | null) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    model,
    choices: [{ index: 0, delta, finish_reason }],
  })
  const usageChunk = (usage: FakeUsage) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    model,
    choices: [],
    usage: withTotal(usage),
  })
  const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage
  if (reply.kind === 'tools') {
    for (const [index, call] of reply.calls.entries()) {
      const text = JSON.stringify(call.arguments)
      const half = Math.floor(text.length / 2)
      const id = `call_fake_${index + 1}`
      send(
        chunk(
          { tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] },
          null,
        ),
      )
      send(chunk({ tool_calls: [{ index, function: { arguments: text.slice(0, half) } }] }, null))
      send(chunk({ tool_calls: [{ index, function: { arguments: text.slice(half) } }] }, null))
    }
    send(chunk({}, 'tool_calls'))
    if (reply.usage && wantsUsage) send(usageChunk(reply.usage))
    return void res.end('data: [DONE]\n\n')
  }
  const { chunks, delayMs = 0, end = 'done' } = reply.kind === 'stream' ? reply : { chunks: [reply.content] }
  const pause = () => new Promise((resolve) => setTimeout(resolve, delayMs))
  for (const [i, content] of chunks.entries()) {
    if (i > 0) await pause()
    send(chunk(i === 0 ? { role: 'assistant', content } : { content }, null))
  }
  if (end === 'stall') return
  // Cutting the connection at once could discard the chunks before the client reads them.
  if (end === 'drop') return void setTimeout(() => res.destroy(), Math.max(delayMs, 20))
  send(chunk({}, reply.finish_reason ?? 'stop'))
  if (reply.usage && wantsUsage) send(usageChunk(reply.usage))
  res.end('data: [DONE]\n\n')
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function withTotal(usage: FakeUsage) {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens }
}
