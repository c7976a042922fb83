import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { formatTail, isFailureLine, OutputCollector } from '../../src/core/pipeline/index.js'
import { LineSplitter } from '../../src/core/pipeline/lines.js'

function collect(lines: string[], budget: number): OutputCollector {
  const collector = new OutputCollector(budget)
  for (const line of lines) collector.add(line)
  return collector
}

describe('isFailureLine', () => {
  it.each([
    ['not ok 3 - adds numbers', true],
    ['    not ok 1 - nested subtest', true],
    [' FAIL  tests/sum.test.ts > sum > adds', true],
    ['   × adds numbers 3ms', true],
    ['  ✕ adds numbers (5 ms)', true],
    ['✖ adds numbers (1.2ms)', true],
    ['  ● sum › adds numbers', true],
    ['FAILED tests/test_sum.py::test_adds - assert 1 == 2', true],
    ['E       assert 1 == 2', true],
    ['--- FAIL: TestAdds (0.00s)', true],
    ['test sum::adds ... FAILED', true],
    ["thread 'sum::adds' panicked at src/lib.rs:10:5:", true],
    ['src/sum.ts(3,7): error TS2322: Type string is not assignable', true],
    ['  3:5  error  Unexpected var  no-var', true],
    ['error: could not compile `sum`', true],
    ['error[E0308]: mismatched types', true],
    ['TypeError: Cannot read properties of undefined', true],
    ['npm ERR! code ELIFECYCLE', true],
    ['ok 3 - adds numbers', false],
    [' ✓ tests/sum.test.ts (3 tests) 4ms', false],
    ['PASS tests/sum.test.ts', false],
    ['test sum::adds ... ok', false],
    ['compiled 12 files', false],
  ])('%s -> %s', (line, expected) => {
    expect(isFailureLine(line)).toBe(expected)
  })
})

describe('formatTail', () => {
  it('gives a short output whole, after the notes', () => {
    const output = collect(['one', 'two'], 100).collected()
    expect(formatTail(output, 100)).toBe('one\ntwo')
    expect(formatTail(output, 100, ['macds: note'])).toBe('macds: note\none\ntwo')
  })

  it('puts failure lines first and the end last, within the budget', () => {
    const lines = [
      'not ok 1 - first',
      ...Array.from({ length: 500 }, (_, i) => `ok ${i + 2} - fine`),
      'the end',
    ]
    for (const budget of [60, 120, 300, 1000]) {
      const text = formatTail(collect(lines, budget).collected(), budget, ['macds: timed out'])
      expect(text.length).toBeLessThanOrEqual(budget)
      expect(text.startsWith('macds: timed out\n')).toBe(true)
      expect(text.endsWith('\nthe end')).toBe(true)
      if (budget >= 300)
        expect(text).toMatch(/^macds: timed out\n--- failures and errors ---\nnot ok 1 - first\n/)
      else expect(text).not.toContain('not ok 1')
    }
  })

  it('does not repeat failure lines that the end already shows', () => {
    const lines = [...Array.from({ length: 200 }, (_, i) => `line ${i}`), 'not ok 9 - late', 'summary']
    const text = formatTail(collect(lines, 200).collected(), 200)
    expect(text.match(/not ok 9/g)).toHaveLength(1)
    expect(text.startsWith('--- end of the output ---')).toBe(true)
  })

  it('keeps the end of a single long line', () => {
    const text = formatTail(collect(['a'.repeat(1000) + 'END'], 50).collected(), 50)
    expect(text.length).toBeLessThanOrEqual(50)
    expect(text.endsWith('END')).toBe(true)
  })
})

describe('OutputCollector', () => {
  it('keeps bounded memory however much is printed', () => {
    const collector = new OutputCollector(1000)
    for (let i = 0; i < 200_000; i += 1) collector.add(i % 1000 === 0 ? `not ok ${i}` : `ok ${i} - a test`)
    const output = collector.collected()
    expect(output.tail.join('\n').length).toBeLessThanOrEqual(1001)
    expect(output.failures.reduce((sum, f) => sum + f.text.length + 1, 0)).toBeLessThanOrEqual(1000 + 300)
    expect(output.totalChars).toBeGreaterThan(2_000_000)
  })

  it('drops colour codes and what a carriage return overwrote', () => {
    const output = collect(['\u001b[31mFAIL\u001b[39m sum', 'progress 10%\rprogress 100%\r'], 100).collected()
    expect(output.tail).toEqual(['FAIL sum', 'progress 100%'])
    expect(output.failures.map((f) => f.text)).toEqual(['FAIL sum'])
  })
})

describe('LineSplitter', () => {
  it('splits lines across chunks, keeps multibyte characters whole and redacts each line', async () => {
    const euro = Buffer.from('€')
    const chunks = [
      Buffer.from('first li'),
      Buffer.from('ne\nsecret=hunter2 x'),
      euro.subarray(0, 1),
      euro.subarray(1),
      Buffer.from('\nlast'),
    ]
    const lines: string[] = []
    const splitter = new LineSplitter(
      (text) => text.replace('hunter2', '***'),
      (line) => lines.push(line),
    )
    const passed: string[] = []
    splitter.on('data', (chunk: Buffer) => passed.push(chunk.toString('utf8')))
    await new Promise((resolve) => Readable.from(chunks).pipe(splitter).on('end', resolve))
    expect(lines).toEqual(['first line', 'secret=*** x€', 'last'])
    expect(passed.join('')).toBe('first line\nsecret=*** x€\nlast')
  })
})
