import { describe, expect, it } from 'vitest'
import { compileValidator } from '../../src/core/contracts/ajv.js'
import { closest, describeSchemaError } from '../../src/core/contracts/suggest.js'

const schema = {
  type: 'object',
  required: ['verdict', 'comments'],
  additionalProperties: false,
  properties: {
    verdict: { enum: ['approve', 'request_changes', 'reject'], description: 'the outcome' },
    comments: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', properties: { line: { type: 'integer' } } },
    },
    id: { type: 'string', pattern: '^REQ-[0-9]+$' },
  },
}

function problems(value: unknown) {
  return compileValidator(schema).explain(value).map(describeSchemaError)
}

describe('describeSchemaError', () => {
  it.each([
    [
      { comments: [{}] },
      '/verdict',
      "missing required property 'verdict'",
      'Add \'verdict\' (one of "approve", "request_changes", "reject": the outcome)',
    ],
    [{ verdict: 'aprove', comments: [{}] }, '/verdict', 'must be one of', 'Use "approve"'],
    [
      { verdict: 'approve', comments: [{ line: 'x' }] },
      '/comments/0/line',
      'must be an integer, not a string',
      'an integer value',
    ],
    [
      { verdict: 'approve', comments: [{}], verdikt: 1 },
      '/verdikt',
      "unknown property 'verdikt'",
      "Rename 'verdikt' to 'verdict'",
    ],
    [
      { verdict: 'approve', comments: [] },
      '/comments',
      'must NOT have fewer than 1 items',
      'Add to /comments',
    ],
    [
      { verdict: 'approve', comments: [{}], id: 'R1' },
      '/id',
      'must match the pattern ^REQ-[0-9]+$',
      'matches ^REQ-[0-9]+$',
    ],
  ])('%j', (value, location, message, fix) => {
    const [problem] = problems(value)
    expect(problem?.location).toBe(location)
    expect(problem?.message).toContain(message)
    expect(problem?.suggested_fix).toContain(fix)
  })
})

describe('closest', () => {
  it.each([
    ['condtion', ['condition', 'message'], 'condition'],
    ['sevrity', ['severity', 'id'], 'severity'],
    ['zzz', ['condition', 'message'], undefined],
  ])('%s', (name, known, expected) => {
    expect(closest(name, known)).toBe(expected)
  })
})
