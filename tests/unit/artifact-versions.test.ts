import { describe, expect, it } from 'vitest'
import { versionOf } from '../../src/core/workspace/rules.js'

const HEADER = '# DESIGN_DECISIONS.log — owner: architect. Append-only.\n#\n'
const FIRST = '[2026-11-20] ADR-1 Store attempts in memory\nDecision: a map per key.\nReason: one process.\n'
const SECOND = '[2026-11-21] ADR-2 Fail open\nDecision: let the login through when the store fails.\n'

describe('versionOf an append-only artifact', () => {
  const previous = `${HEADER}\n${FIRST}`

  it('takes content that extends the artifact as it is', () => {
    const content = `${previous}\n${SECOND}`
    expect(versionOf('DESIGN_DECISIONS.log', content, previous)).toBe(content)
  })

  it('appends a new entry given alone', () => {
    expect(versionOf('DESIGN_DECISIONS.log', SECOND, previous)).toBe(`${previous}${SECOND}`)
  })

  it('adds only the new entries of a whole log rewritten with other spacing', () => {
    const rewritten = `${HEADER.trimEnd()}\n\n\n${FIRST.replace('Decision:', '  Decision:')}  \n\n${SECOND}`
    const next = versionOf('DESIGN_DECISIONS.log', rewritten, previous)
    expect(next).toBe(`${previous}${SECOND}`)
    expect(next.match(/ADR-1 /g)).toHaveLength(1)
  })

  it('keeps the artifact as it was when the content holds nothing new', () => {
    const again = `${FIRST}\n\n${HEADER}`
    expect(versionOf('DESIGN_DECISIONS.log', again, previous)).toBe(previous)
  })

  it('appends an entry that was changed, since an old entry is never edited in place', () => {
    const changed = FIRST.replace('a map per key', 'a map per account')
    const next = versionOf('DESIGN_DECISIONS.log', `${HEADER}\n${changed}`, previous)
    expect(next).toBe(`${previous}${changed}`)
  })

  it('replaces other artifacts whole', () => {
    expect(versionOf('ARCHITECTURE.md', '# New\n', '# Old\n')).toBe('# New\n')
  })
})
