import { readdir, readFile } from 'node:fs/promises'
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

const HEAVY = [
  'node_modules/json-schema-to-typescript',
  'node_modules/prettier',
  'node_modules/openai',
  'node_modules/simple-git',
  'node_modules/execa',
]
const UI = ['node_modules/react', 'node_modules/ink/']

describe('the bundle', () => {
  it('loads heavy and UI libraries only when a command needs them', async () => {
    const closure = await staticClosure(cliPath)
    const text = [...closure.values()].join('\n')
    expect(text).toContain('contracts validate')
    for (const marker of [...HEAVY, ...UI])
      expect(text, `${marker} is loaded at start-up`).not.toContain(marker)
  })

  it('has the heavy libraries in lazily loaded chunks, where the check above would see them if imported eagerly', async () => {
    const chunks = join(dirname(cliPath), 'chunks')
    const all = (
      await Promise.all((await readdir(chunks)).map((name) => readFile(join(chunks, name), 'utf8')))
    ).join('\n')
    for (const marker of HEAVY) expect(all).toContain(marker)
  })
})
