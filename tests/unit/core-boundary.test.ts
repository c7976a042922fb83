import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const ui = join(root, 'src/ui')
const FORBIDDEN = /^(react|react-dom|ink|ink-[\w-]+|zustand)(\/|$)/

/** Imports of a core file that would make the core depend on a terminal UI. */
function forbiddenImports(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true)
  return importedFiles
    .map((i) => i.fileName)
    .filter(
      (spec) => FORBIDDEN.test(spec) || (spec.startsWith('.') && resolve(dirname(file), spec).startsWith(ui)),
    )
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name)).map((e) => join(e.parentPath, e.name))
}

describe('src/core stays headless', () => {
  it('imports nothing of react, ink, zustand or src/ui', async () => {
    const offenders: string[] = []
    for (const file of await sourceFiles(join(root, 'src/core'))) {
      for (const spec of forbiddenImports(file, await readFile(file, 'utf8')))
        offenders.push(`${relative(root, file)} -> ${spec}`)
    }
    expect(offenders).toEqual([])
  })

  it.each([
    ["import { Box } from 'ink'", 'ink'],
    ["import type { FC } from 'react'", 'react'],
    ["export { create } from 'zustand/vanilla'", 'zustand/vanilla'],
    ["const m = await import('ink-testing-library')", 'ink-testing-library'],
    ["import { App } from '../ui/App.js'", '../ui/App.js'],
  ])('would catch %s', (line, spec) => {
    expect(forbiddenImports(join(root, 'src/core/x.ts'), line)).toEqual([spec])
  })

  it('lets core import its own modules and node builtins', () => {
    expect(
      forbiddenImports(
        join(root, 'src/core/x.ts'),
        "import { a } from './contracts/index.js'\nimport 'node:fs'",
      ),
    ).toEqual([])
  })
})
