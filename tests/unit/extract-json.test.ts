import { describe, expect, it } from 'vitest'
import { extractJson } from '../../src/core/agents/extract-json.js'

describe('extractJson', () => {
  it.each([
    ['a bare object', '{"a": 1}', { a: 1 }, 'whole'],
    ['a bare array with spaces', '  [1, 2]\n', [1, 2], 'whole'],
    [
      'a json fence',
      'Here it is:\n```json\n{"a": [1, {"b": "}"}]}\n```\nDone.',
      { a: [1, { b: '}' }] },
      'fence',
    ],
    ['a bare fence', '```\n{"x": true}\n```', { x: true }, 'fence'],
    [
      'the second fence when the first is not JSON',
      '```ts\nconst a = 1\n```\n```json\n{"ok": 1}\n```',
      { ok: 1 },
      'fence',
    ],
    [
      'prose around an object',
      'Sure! {"name": "a \\"quoted\\" {brace}"} hope it helps',
      { name: 'a "quoted" {brace}' },
      'balanced',
    ],
    ['a broken brace before the value', 'I think {maybe} this: {"v": 2}', { v: 2 }, 'balanced'],
  ])('reads %s', (_, text, value, from) => {
    expect(extractJson(text)).toEqual({ ok: true, value, from })
  })

  it.each([
    ['empty text', '   ', /empty/],
    ['prose only', 'I cannot help with that.', /no JSON value/],
    ['an unclosed object', 'here: {"a": [1, 2', /no JSON value/],
  ])('reports %s', (_, text, reason) => {
    const result = extractJson(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(reason)
  })
})
