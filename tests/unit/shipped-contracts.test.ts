import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ContractRegistry } from '../../src/core/contracts/index.js'
import { generateContractTypes } from '../../src/core/contracts/typegen.js'
import { repoRoot } from '../helpers/cli.js'

const STAGES = [
  'requirements',
  'architecture',
  'implementation',
  'review',
  'build_test',
  'integration',
  'infra',
  'final_approval',
]
const fixtures = join(repoRoot, 'tests/fixtures/contracts')
const registry = await ContractRegistry.load(join(repoRoot, 'contracts'))
const invalid = (await readdir(fixtures)).filter((f) => f.endsWith('.invalid.yaml'))

async function fixture(name: string): Promise<{ input: unknown; output: unknown; expect?: string[] }> {
  return parse(await readFile(join(fixtures, name), 'utf8'))
}

describe('the shipped contracts', () => {
  it('cover every stage of the default workflow and escalation rulings, all valid', () => {
    expect(
      registry
        .entries()
        .map((e) => e.name)
        .sort(),
    ).toEqual([...STAGES, 'escalation'].sort())
    for (const entry of registry.entries()) expect([entry.name, entry.issues]).toEqual([entry.name, []])
  })

  it.each([...STAGES, 'escalation'])(
    '%s: its realistic example passes with no violation at all',
    async (name) => {
      const { input, output } = await fixture(`${name}.valid.yaml`)
      expect(registry.checkInput(name as 'review', input).violations).toEqual([])
      expect(registry.checkOutput(name as 'review', output, input as never).violations).toEqual([])
    },
  )

  it.each(invalid)('%s: a realistic bad answer gets exactly the expected violations', async (file) => {
    const name = file.replace('.invalid.yaml', '') as 'review'
    const { input, output, expect: expected = [] } = await fixture(file)
    const result = registry.checkOutput(name, output, input as never)
    expect(result.ok).toBe(false)
    expect([...new Set(result.violations.map((v) => v.rule_id))].sort()).toEqual(
      [...new Set(expected)].sort(),
    )
    for (const v of result.violations) expect(v.suggested_fix.length).toBeGreaterThan(0)
  })

  it.each([
    ['.github/workflows/ci.yml', true],
    ['package-lock.json', true],
    ['vite.config.ts', true],
    ['Cargo.lock', true],
    ['services/api/Dockerfile', true],
    ['src/app.config.ts', false],
    ['src/index.ts', false],
    ['README.md', false],
  ])('infra may change %s: %s', async (path, allowed) => {
    const { input, output } = await fixture('infra.valid.yaml')
    const changeset = {
      ...(output as { changeset: object }).changeset,
      files: [{ path, action: 'create', content: 'x' }],
    }
    const result = registry.checkOutput('infra', { ...(output as object), changeset }, input as never)
    expect(result.violations.some((v) => v.rule_id === 'INFRA-007')).toBe(!allowed)
  })

  it('gives typed values to the code that uses them', async () => {
    const { input, output } = await fixture('implementation.valid.yaml')
    const result = registry.checkOutput('implementation', output, input as never)
    expect(result.ok).toBe(true)
    const paths: string[] = result.value.changeset.files.map((f) => f.path)
    expect(paths.length).toBeGreaterThan(0)
  })

  it('have generated types that are current', async () => {
    const files = await generateContractTypes(registry.entries().flatMap((e) => (e.active ? [e.active] : [])))
    for (const file of files) {
      const onDisk = await readFile(join(repoRoot, 'src/generated/contracts', file.path), 'utf8').catch(
        () => '',
      )
      expect(onDisk, `${file.path} is stale: run \`npm run types\``).toBe(file.content)
    }
    const extra = (await readdir(join(repoRoot, 'src/generated/contracts'))).filter(
      (n) => !files.some((f) => f.path === n),
    )
    expect(extra).toEqual([])
  })
})
