import { describe, expect, it } from 'vitest'
import { compileContract } from '../../src/core/contracts/compile.js'
import { validateValue } from '../../src/core/contracts/validate.js'
import { SMALL_CONTRACT } from '../helpers/contract-text.js'

function contract(text = SMALL_CONTRACT) {
  const result = compileContract(text, '/contracts/sample.yaml')
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'))
  return result.contract
}

const input = { names: ['api'] }

describe('validateValue', () => {
  it('accepts a good output with no violations', () => {
    const output = { components: [{ name: 'api', kind: 'service' }], summary: 'one service' }
    expect(validateValue(contract(), 'output', output, { input })).toEqual({
      ok: true,
      violations: [],
      value: output,
    })
  })

  it('turns schema errors into SCHEMA violations with a pointer and a fix', () => {
    const result = validateValue(
      contract(),
      'output',
      { components: [{ name: 'api', kind: 'servise' }], summary: 1 },
      { input },
    )
    expect(result.ok).toBe(false)
    expect(result.violations).toEqual([
      {
        rule_id: 'SCHEMA',
        severity: 'error',
        location: '/components/0/kind',
        message: '/components/0/kind must be one of "library", "service", "cli", not "servise"',
        suggested_fix: 'Use "service"',
      },
      {
        rule_id: 'SCHEMA',
        severity: 'error',
        location: '/summary',
        message: '/summary must be a string, not an integer',
        suggested_fix: 'Give /summary a string value',
      },
    ])
  })

  it('reports a failing rule with its severity, message, location and fix', () => {
    const result = validateValue(contract(), 'output', { components: [], summary: 's' }, { input })
    expect(result.ok).toBe(false)
    expect(result.violations.map((v) => [v.rule_id, v.severity, v.location])).toEqual([
      ['SMP-001', 'error', '/components'],
      ['SMP-003', 'error', '/components'],
    ])
    expect(result.violations[0]?.suggested_fix).toBe('Add at least one component with a name and kind')
  })

  it('lets warnings through without blocking', () => {
    const result = validateValue(
      contract(),
      'output',
      { components: [{ name: 'api', kind: 'cli' }] },
      { input },
    )
    expect(result.ok).toBe(true)
    expect(result.violations).toMatchObject([{ rule_id: 'SMP-002', severity: 'warning' }])
  })

  it('says so when a rule cannot be evaluated, instead of throwing', () => {
    const output = { components: [{ name: 'api', kind: 'cli' }], summary: 's' }
    const result = validateValue(contract(), 'output', output, { input: {} })
    expect(result.ok).toBe(false)
    expect(result.violations).toHaveLength(1)
    expect(result.violations[0]).toMatchObject({ rule_id: 'SMP-003', severity: 'error' })
    expect(result.violations[0]?.message).toMatch(/could not be evaluated: No such key: names/)
  })

  it('does not pile unevaluable rules on top of schema errors', () => {
    const result = validateValue(contract(), 'output', { summary: 's' }, { input })
    expect(result.violations.map((v) => v.rule_id)).toEqual(['SCHEMA'])
  })

  it('checks inputs with the input schema and the input rules only', () => {
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`)
    expect(validateValue(contract(), 'input', { names }).violations.map((v) => v.rule_id)).toEqual([
      'SMP-004',
    ])
    expect(validateValue(contract(), 'input', { names: [1] }).violations.map((v) => v.location)).toEqual([
      '/names/0',
    ])
  })

  it('can skip output rules that read the input when no input is known', () => {
    const output = { components: [{ name: 'api', kind: 'cli' }], summary: 's' }
    expect(validateValue(contract(), 'output', output, { skipInputRules: true }).violations).toEqual([])
  })

  it('reports a rule that gives a non-boolean', () => {
    const text = SMALL_CONTRACT.replace('"has(output.summary)"', '"output.summary"').replace(
      'summary: { type: string }',
      'summary: { type: [string, boolean] }',
    )
    const result = validateValue(
      contract(text),
      'output',
      { components: [{ name: 'api', kind: 'cli' }], summary: 'x' },
      { input },
    )
    expect(result.violations).toMatchObject([{ rule_id: 'SMP-002', severity: 'warning' }])
    expect(result.violations[0]?.message).toContain('not a boolean')
  })
})
