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
/** The contract compiler and the file watcher: the supervisor loads them once its first frame is up. */
const CONTRACTS = ['node_modules/ajv/dist/compile', 'node_modules/chokidar']

describe('the bundle', () => {
  it('loads heavy and UI libraries only when a command needs them', async () => {
    const closure = await staticClosure(cliPath)
    const text = [...closure.values()].join('\n')
    expect(text).toContain('contracts validate')
    for (const marker of [...HEAVY, ...UI, ...CONTRACTS])
      expect(text, `${marker} is loaded at start-up`).not.toContain(marker)
  })

  it('draws the supervisor without loading the contract compiler or the file watcher', async () => {
    const chunks = join(dirname(cliPath), 'chunks')
    const names = await readdir(chunks)
    const texts = await Promise.all(names.map((name) => readFile(join(chunks, name), 'utf8')))
    const start = names.find((_, i) => texts[i]?.includes('// src/ui/start.tsx'))
    expect(start).toBeDefined()
    const closure = await staticClosure(join(chunks, start ?? ''))
    const text = [...closure.values()].join('\n')
    expect(text).toContain('node_modules/ink/')
    for (const marker of CONTRACTS)
      expect(text, `${marker} is loaded before the first frame`).not.toContain(marker)
    for (const marker of CONTRACTS) expect(texts.join('\n')).toContain(marker)
  })

  it('has the heavy libraries in lazily loaded chunks, where the check above would see them if imported eagerly', async () => {
    const chunks = join(dirname(cliPath), 'chunks')
    const all = (
      await Promise.all((await readdir(chunks)).map((name) => readFile(join(chunks, name), 'utf8')))
    ).join('\n')
    for (const marker of HEAVY) expect(all).toContain(marker)
  })
})
