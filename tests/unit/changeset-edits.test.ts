import { describe, expect, it } from 'vitest'
import { applyEdits, countMatches } from '../../src/core/changeset/edits.js'
import { deletedByChange, deletedLines, lineCount } from '../../src/core/changeset/lines.js'

describe('countMatches', () => {
  it.each([
    ['abc', 'b', 1],
    ['abcabc', 'abc', 2],
    ['aaa', 'aa', 2],
    ['abc', 'x', 0],
    ['abc', '', 0],
  ])('%j contains %j %i times', (text, search, count) => {
    expect(countMatches(text, search)).toBe(count)
  })
})

describe('applyEdits', () => {
  const file = 'function a() {\n  return 1\n}\n\nfunction b() {\n  return 1\n}\n'

  it('applies each edit to the text the ones before it left', () => {
    const outcome = applyEdits('src/x.ts', file, [
      { search: 'function a() {\n  return 1', replace: 'function a() {\n  return 2' },
      { search: 'return 1', replace: 'return 3' },
    ])
    expect(outcome).toEqual({
      problems: [],
      text: file.replace('return 1', 'return 2').replace('return 1', 'return 3'),
    })
  })

  it('takes replacement text literally', () => {
    expect(applyEdits('x', 'a b', [{ search: 'b', replace: "$& $' $1" }]).text).toBe("a $& $' $1")
  })

  it('reports a search that matches several times, with the count', () => {
    const { problems } = applyEdits('src/x.ts', file, [{ search: 'return 1', replace: 'return 2' }])
    expect(problems).toMatchObject([{ rule: 'CS-EDIT-AMBIGUOUS', field: '/edits/0/search' }])
    expect(problems[0]!.message).toContain('2 times')
    expect(problems[0]!.fix).toMatch(/neighbouring lines/)
  })

  it('reports a search that matches nothing, and every other failing edit', () => {
    const { problems, text } = applyEdits('src/x.ts', file, [
      { search: 'function c()', replace: '' },
      { search: 'function b()', replace: 'function bb()' },
      { search: '', replace: 'x' },
    ])
    expect(problems).toMatchObject([
      { rule: 'CS-EDIT-NOMATCH', field: '/edits/0/search' },
      { rule: 'CS-EDIT-EMPTY', field: '/edits/2/search' },
    ])
    expect(problems[0]!.message).toContain('0 times')
    expect(text).toContain('function bb()')
  })

  it('says when line endings are the reason a search does not match', () => {
    const { problems } = applyEdits('x', 'a\r\nb\r\n', [{ search: 'a\nb', replace: '' }])
    expect(problems[0]!.fix).toContain('CRLF')
  })
})

describe('deleted lines', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['a\n', 1],
    ['a\nb', 2],
    ['a\n\nb\n', 3],
  ])('%j has %i lines', (text, count) => {
    expect(lineCount(text)).toBe(count)
  })

  it.each([
    ['nothing changed', 'a\nb\nc\n', 'a\nb\nc\n', 0],
    ['a line added', 'a\nc\n', 'a\nb\nc\n', 0],
    ['a line removed', 'a\nb\nc\n', 'a\nc\n', 1],
    ['a line replaced', 'a\nb\nc\n', 'a\nB\nc\n', 1],
    ['everything replaced', 'a\nb\nc\n', 'x\n', 3],
    ['lines moved', 'a\nb\nc\nd\n', 'c\nd\na\nb\n', 2],
    ['two separate removals', '1\n2\n3\n4\n5\n6\n', '1\n3\n4\n6\n', 2],
    ['emptied', 'a\nb\n', '', 2],
  ])('%s', (_, before, after, count) => {
    expect(deletedLines(before, after)).toBe(count)
  })

  it('counts every line of the changed region when the files differ too much to diff exactly', () => {
    const before = Array.from({ length: 6000 }, (_, i) => `old ${i}`).join('\n')
    const after = Array.from({ length: 6000 }, (_, i) => `new ${i}`).join('\n')
    expect(deletedLines(before, after)).toBe(6000)
  })

  it('counts all lines of a deleted file and none of a created one', () => {
    expect(deletedByChange(Buffer.from('a\nb\n'), undefined)).toBe(2)
    expect(deletedByChange(undefined, 'a\nb\n')).toBe(0)
    expect(deletedByChange(Buffer.from('a\nb\n'), 'a\n')).toBe(1)
  })
})
