import { describe, expect, it } from 'vitest'
import { offendingValues } from '../../src/core/agents/offending.js'
import type { Violation } from '../../src/core/contracts/types.js'

const at = (location: string): Violation => ({
  rule_id: 'R',
  severity: 'error',
  message: 'm',
  location,
  suggested_fix: 'f',
})
const output = { a: { 'b/c': [1, { d: 'x' }], 'e~f': true }, long: 'y'.repeat(500) }

describe('the offending value of a violation', () => {
  it.each<[string, string]>([
    ['', JSON.stringify(output).slice(0, 200) + '…'],
    ['/a/b~1c/1/d', '"x"'],
    ['/a/e~0f', 'true'],
    ['/a/b~1c', '[1,{"d":"x"}]'],
    ['/missing/deeper', ''],
    ['/long', `"${'y'.repeat(199)}…`],
  ])('at %j is %j', (location, expected) => {
    expect(offendingValues([at(location)], output, 'the text')).toEqual([expected])
  })

  it('is the text itself when the answer was not JSON', () => {
    expect(offendingValues([at(''), at('/x')], undefined, 'not json')).toEqual(['not json', 'not json'])
  })
})
