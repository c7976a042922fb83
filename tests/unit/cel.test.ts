import { describe, expect, it } from 'vitest'
import { CEL_LIMITS, compileCondition } from '../../src/core/contracts/cel.js'

describe('compileCondition', () => {
  it.each([
    ['size(output.components) > 0', 'output'],
    ['output.components.all(c, c.name != "")', 'output'],
    ['has(output.x) && output.x == 1', 'output'],
    ['size(input.names) < 10', 'input'],
  ] as const)('accepts %s', (expression, part) => {
    expect(compileCondition(expression, part).ok).toBe(true)
  })

  it.each([
    ['size(output.components > 0', 'CEL_SYNTAX', 26],
    ['sizee(output.components) > 0', 'CEL_TYPE', 0],
    ['size(output.components) > "a"', 'CEL_TYPE', 0],
    ['size(output.components)', 'CEL_TYPE', 0],
    ['output.x == 1', 'CEL_TYPE', 0],
    [Array(200).fill('true').join(' && '), 'CEL_LIMIT', 0],
    [`${'('.repeat(40)}true${')'.repeat(40)}`, 'CEL_LIMIT', 32],
    [`"${'a'.repeat(CEL_LIMITS.maxLength)}" == ""`, 'CEL_LIMIT', 0],
  ])('rejects %s with %s', (expression, code, offset) => {
    const part = expression.startsWith('output.x') ? 'input' : 'output'
    const result = compileCondition(expression, part)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problem.code).toBe(code)
    expect(result.problem.offset).toBe(offset)
    expect(result.problem.message).not.toContain('\n')
  })

  it('knows which rules read the input and which fields they touch', () => {
    const result = compileCondition('input.names.all(n, output.components.exists(c, c.name == n))', 'output')
    if (!result.ok) throw new Error(result.problem.message)
    expect(result.condition.readsInput).toBe(true)
    expect(result.condition.paths.map((p) => [p.root, ...p.fields].join('.'))).toEqual([
      'input.names',
      'output.components',
    ])
    const plain = compileCondition('size(output.components) > 0', 'output')
    expect(plain.ok && plain.condition.readsInput).toBe(false)
  })
})
