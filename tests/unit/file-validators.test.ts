import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import * as prebuilt from '../../src/generated/file-validators.js'
import { agentFileSchema } from '../../src/core/agents/schema.js'
import { configFileSchema } from '../../src/core/config/schema.js'
import { compileValidator } from '../../src/core/contracts/ajv.js'
import { contractFileSchema } from '../../src/core/contracts/contract-file-schema.js'
import { policyFileSchema } from '../../src/core/memory/policy-schema.js'
import { scriptFileSchema } from '../../src/core/providers/script-schema.js'

const root = join(import.meta.dirname, '../..')
const yamlIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(join(root, dir, f), 'utf8')) as unknown)

/** Each shipped file of a kind, and variants of it that break the shape in the common ways. */
function samples(files: unknown[]): unknown[] {
  const broken = files.flatMap((file) => {
    const value = file as Record<string, unknown>
    const keys = Object.keys(value)
    return [
      { ...value, not_a_field: 1 },
      ...keys.map((k) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== k))),
      ...keys.map((k) => ({ ...value, [k]: typeof value[k] === 'string' ? 7 : 'text' })),
    ]
  })
  return [...files, ...broken, {}, [], 'text', null]
}

const kinds = [
  {
    name: 'config',
    schema: configFileSchema,
    files: [parse(readFileSync(join(root, 'src/demo/macds.yaml'), 'utf8'))],
  },
  { name: 'agent', schema: agentFileSchema, files: yamlIn('agents') },
  { name: 'contract', schema: contractFileSchema, files: yamlIn('contracts') },
  { name: 'policy', schema: policyFileSchema, files: yamlIn('memory') },
  {
    name: 'script',
    schema: scriptFileSchema,
    files: [parse(readFileSync(join(root, 'src/demo/script.yaml'), 'utf8'))],
  },
] as const

describe('the file validators compiled at build time', () => {
  it.each(kinds)('accept exactly what their schema accepts: $name', ({ name, schema, files }) => {
    const built = prebuilt[name]
    const compiled = compileValidator(schema as unknown as Record<string, unknown>)
    const values = samples(files as unknown[])
    const verdicts = values.map((value) => built(value))
    expect(verdicts).toEqual(values.map((value) => compiled(value)))
    // The shipped files pass and some variants fail: the comparison covers both answers.
    expect(verdicts.slice(0, files.length).every(Boolean)).toBe(true)
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(values.length / 3)
  })
})
