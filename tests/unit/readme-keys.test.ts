import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyMapMarkdown } from '../../src/ui/keys/key-map.js'
import { KEY_TABLE } from '../../src/ui/keys/table.js'
import { repoRoot } from '../helpers/cli.js'

describe("the README's key map", () => {
  it('is the one the key table generates', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
    const start = readme.indexOf('<!-- keys:start -->')
    const end = readme.indexOf('<!-- keys:end -->')
    expect(start, 'README.md needs <!-- keys:start --> and <!-- keys:end -->').toBeGreaterThan(0)
    const shown = readme.slice(start + '<!-- keys:start -->'.length, end).trim()
    expect(shown, 'paste the table below into README.md between the key markers').toBe(keyMapMarkdown())
  })

  it('has a row per binding', () => {
    expect(keyMapMarkdown().split('\n')).toHaveLength(KEY_TABLE.length + 2)
  })
})
