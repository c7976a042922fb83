import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPromptStore, type PromptRecord } from '../../src/core/agents/prompt-store.js'
import { createRedactor } from '../../src/core/secrets.js'
import { readPrompts } from '../helpers/prompts.js'
import { tempDir } from '../helpers/temp.js'

const KEY = 'sk-test-0123456789abcdefghij'

function call(attempt: number, system: string, user: string): PromptRecord {
  return {
    agent: 'writer',
    stage: 'design',
    visit: 1,
    attempt,
    model: 'small-model',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    response: `answer ${attempt} with ${KEY}`,
    usage: { prompt_tokens: 10, completion_tokens: 5 },
  }
}

/** Whether this process holds `file` open (Linux: the links in /proc/self/fd). */
function isOpen(file: string): boolean {
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === file
    } catch {
      return false
    }
  })
}

describe('prompt store', () => {
  it('appends one masked JSON line per call, the system message masked like the rest', async () => {
    const file = join(await tempDir(), 'run.jsonl')
    const store = createPromptStore(file, createRedactor([KEY]))
    const system = `You are the writer. Never print ${KEY}.`
    store.save(call(1, system, 'first'))
    store.save(call(2, system, `second, key ${KEY}`))
    store.save(call(3, 'Another role.', 'third'))
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(KEY)
    const calls = await readPrompts(file)
    expect(calls.map((c) => [c.attempt, c.messages[0]?.content, c.messages[1]?.content])).toEqual([
      [1, 'You are the writer. Never print [REDACTED].', 'first'],
      [2, 'You are the writer. Never print [REDACTED].', 'second, key [REDACTED]'],
      [3, 'Another role.', 'third'],
    ])
    expect(calls[1]).toMatchObject({
      agent: 'writer',
      stage: 'design',
      visit: 1,
      response: 'answer 2 with [REDACTED]',
    })
  })

  it.runIf(existsSync('/proc/self/fd'))(
    'keeps the file open while calls come, and closes it when they stop',
    async () => {
      const file = join(await tempDir(), 'run.jsonl')
      const store = createPromptStore(file, createRedactor([]))
      store.save(call(1, 'role', 'one'))
      expect(isOpen(file)).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 1300))
      expect(isOpen(file)).toBe(false)
      store.save(call(2, 'role', 'two'))
      expect((await readPrompts(file)).map((c) => c.attempt)).toEqual([1, 2])
    },
  )
})
