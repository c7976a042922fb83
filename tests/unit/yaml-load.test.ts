import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { loadYaml } from '../../src/core/contracts/yaml-load.js'
import { repoRoot } from '../helpers/cli.js'

/** What the position-keeping parser makes of the text: a value, or a failure. */
function positional(text: string): { ok: boolean; value?: unknown } {
  const doc = parseDocument(text, { uniqueKeys: true })
  return doc.errors.length > 0 ? { ok: false } : { ok: true, value: doc.toJS() }
}

describe('the fast YAML load', () => {
  it('gives the same values as the position-keeping parser for every shipped contract and fixture', async () => {
    const dirs = ['contracts', 'tests/fixtures/contracts'].map((d) => join(repoRoot, d))
    let files = 0
    for (const dir of dirs) {
      for (const name of await readdir(dir)) {
        const text = await readFile(join(dir, name), 'utf8')
        expect(loadYaml(text), name).toEqual({ ok: true, value: positional(text).value })
        files++
      }
    }
    expect(files).toBeGreaterThan(20)
  })

  it.each([
    'a: yes\nb: on\nc: True\nd: ~\ne: null',
    'a: 0x1F\nb: 0o17\nc: 012\nd: 1e3\ne: .inf\nf: -.Inf\ng: 1.50',
    'a: 2024-01-01\nb: 12:30:45\nc: "1"\nd: !!str 1',
    'base: &b { x: 1 }\nother: *b\nmerged:\n  <<: *b\n  y: 2',
    'text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n',
    'list: [1, "two", {three: 3}]\nempty: {}\nnone: []',
    "q: 'it''s'\nr: \"tab\\tnew\\nline\"",
  ])('agrees on %j', (text) => {
    const expected = positional(text)
    expect(expected.ok).toBe(true)
    expect(loadYaml(text)).toEqual({ ok: true, value: expected.value })
  })

  it.each(['a: 1\na: 2', 'a: [1, 2', 'a: 1\n---\nb: 2', 'a:\n\t- tab'])(
    'fails where the other fails: %j',
    (text) => {
      expect(positional(text).ok).toBe(false)
      expect(loadYaml(text).ok).toBe(false)
    },
  )
})
