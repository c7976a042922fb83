import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliPath } from '../helpers/cli.js'

/** Every file the bundle loads at start-up: the entry and the chunks it imports statically, transitively. */
async function staticClosure(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>()
  const visit = async (file: string) => {
    if (seen.has(file)) return
    const text = await readFile(file, 'utf8')
    seen.set(file, text)
    for (const match of text.matchAll(
      /^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gm,
    )) {
      await visit(resolve(dirname(file), match[1] ?? match[2] ?? ''))
    }
  }
  await visit(entry)
  return seen
}

describe('the bundle', () => {
  it('loads heavy and UI libraries only when a command needs them', async () => {
    const closure = await staticClosure(cliPath)
    const text = [...closure.values()].join('\n')
    expect(text).toContain('contracts validate')
    for (const marker of [
      'json-schema-to-typescript',
      'node_modules/prettier',
      'node_modules/react',
      'node_modules/ink/',
    ]) {
      expect(text, `${marker} is loaded at start-up`).not.toContain(marker)
    }
  })

  it('still contains the lazily loaded parts, so the check above can see them', async () => {
    const all = await readFile(join(dirname(cliPath), 'cli.js'), 'utf8')
    expect(all).toMatch(/import\("\.\/chunks\/[^"]+"\)/)
  })
})
