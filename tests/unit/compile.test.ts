import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadContractFile } from '../../src/core/contracts/index.js'
import type { ContractIssue } from '../../src/core/contracts/types.js'
import { SMALL_CONTRACT } from '../helpers/contract-text.js'
import { tempDir } from '../helpers/temp.js'

/** Writes `text` as sample.yaml (or `name`) in a new directory and loads it. */
async function load(text: string, name = 'sample.yaml') {
  const dir = await tempDir()
  const file = join(dir, name)
  await writeFile(file, text)
  return { file, result: await loadContractFile(file) }
}

async function issuesOf(text: string): Promise<ContractIssue[]> {
  const { result } = await load(text)
  if (result.ok) throw new Error('expected the contract to be invalid')
  return result.issues
}

/** The 1-based line and column of the first occurrence of `needle` in the text. */
function where(text: string, needle: string, extra = 0): { line: number; col: number } {
  const offset = text.indexOf(needle) + extra
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 }
}

describe('loading a contract file', () => {
  it('compiles a valid file', async () => {
    const { result } = await load(SMALL_CONTRACT)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.contract.version).toBe('1.0.0')
    expect(result.contract.rules.map((r) => [r.id, r.applies_to])).toEqual([
      ['SMP-001', 'output'],
      ['SMP-002', 'output'],
      ['SMP-003', 'output'],
      ['SMP-004', 'input'],
    ])
  })

  it('reports a YAML syntax error at its line and column', async () => {
    const text = SMALL_CONTRACT.replace('description: A small contract for tests.', 'description: [unclosed')
    const [issue, ...rest] = await issuesOf(text)
    expect(rest).toEqual([])
    expect(issue?.code).toBe('YAML_SYNTAX')
    expect(issue?.line).toBeGreaterThanOrEqual(3)
  })

  it('reports a missing required field at the parent node', async () => {
    const issues = await issuesOf(SMALL_CONTRACT.replace('version: "1.0.0"\n', ''))
    expect(issues).toMatchObject([{ code: 'CONTRACT_SHAPE', line: 1, col: 1, pointer: '/version' }])
    expect(issues[0]?.message).toContain("missing required property 'version'")
  })

  it('reports an unknown severity at the value, with the allowed ones', async () => {
    const text = SMALL_CONTRACT.replace('severity: warning', 'severity: critical')
    const issues = await issuesOf(text)
    expect(issues).toMatchObject([
      { code: 'CONTRACT_SHAPE', pointer: '/validation_rules/1/severity', ...where(text, 'critical') },
    ])
    expect(issues[0]?.message).toContain('"error", "warning", "info"')
  })

  it('reports a misspelt rule field at its key with the right name as hint', async () => {
    const text = SMALL_CONTRACT.replace(
      '    message: A summary helps reviewers',
      '    mesage: A summary helps reviewers',
    )
    const issues = await issuesOf(text)
    const unknown = issues.find((i) => i.pointer === '/validation_rules/1/mesage')
    expect(unknown).toMatchObject({ code: 'CONTRACT_SHAPE', ...where(text, 'mesage') })
    expect(unknown?.hint).toBe("Rename 'mesage' to 'message'")
  })

  it('reports a CEL syntax error inside the condition, with the rule id', async () => {
    const text = SMALL_CONTRACT.replace('"has(output.summary)"', '"has(output.summary"')
    const issues = await issuesOf(text)
    expect(issues).toMatchObject([
      { code: 'CEL_SYNTAX', rule_id: 'SMP-002', ...where(text, 'has(output.summary"', 18) },
    ])
  })

  it('reports a CEL type error (a misspelt function) with the rule id', async () => {
    const text = SMALL_CONTRACT.replace('size(output.components) > 0', 'sise(output.components) > 0')
    const issues = await issuesOf(text)
    expect(issues).toMatchObject([{ code: 'CEL_TYPE', rule_id: 'SMP-001', ...where(text, 'sise(') }])
    expect(issues[0]?.message).toContain('sise')
  })

  it('reports a misspelt field that the schema cannot have, with the nearest name', async () => {
    const text = SMALL_CONTRACT.replace('size(output.components) > 0', 'size(output.componets) > 0')
    const issues = await issuesOf(text)
    expect(issues).toMatchObject([
      { code: 'CEL_FIELD', rule_id: 'SMP-001', ...where(text, 'output.componets') },
    ])
    expect(issues[0]?.message).toContain("did you mean 'components'")
  })

  it('reports an input rule that reads the output', async () => {
    const text = SMALL_CONTRACT.replace('"size(input.names) < 100"', '"size(output.components) < 100"')
    expect(await issuesOf(text)).toMatchObject([{ code: 'CEL_TYPE', rule_id: 'SMP-004' }])
  })

  it('reports conditions over the length and size caps', async () => {
    const long = `"${Array(150).fill('size(output.components) > 0').join(' && ')}"`
    const text = SMALL_CONTRACT.replace('"size(output.components) > 0"', long)
    expect(await issuesOf(text)).toMatchObject([{ code: 'CEL_LIMIT', rule_id: 'SMP-001' }])
    const wide = `"${Array(160).fill('true').join(' && ')}"`
    expect(await issuesOf(SMALL_CONTRACT.replace('"has(output.summary)"', wide))).toMatchObject([
      { code: 'CEL_LIMIT', rule_id: 'SMP-002' },
    ])
  })

  it('reports a schema type ajv refuses, with the likely intended type', async () => {
    const text = SMALL_CONTRACT.replace(
      'name: { type: string, description',
      'name: { type: strin, description',
    )
    const issues = await issuesOf(text)
    expect(issues).toMatchObject([{ code: 'SCHEMA_INVALID', ...where(text, 'strin,') }])
    expect(issues[0]?.hint).toBe('Use "string"')
  })

  it('reports an unknown schema keyword at the keyword', async () => {
    const text = SMALL_CONTRACT.replace(
      'optional_note: { type: string }',
      'optional_note: { type: string, requird: true }',
    )
    const issues = await issuesOf(text)
    expect(issues).toMatchObject([{ code: 'SCHEMA_INVALID', ...where(text, 'requird') }])
    expect(issues[0]?.message).toContain('requird')
  })

  it('reports a name that does not match the file and duplicated rule ids', async () => {
    const text = SMALL_CONTRACT.replace('id: SMP-002', 'id: SMP-001')
    const { result } = await load(text, 'other.yaml')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => i.code)).toEqual(['NAME_MISMATCH', 'DUPLICATE_RULE'])
    expect(result.issues[0]?.hint).toContain('other')
  })

  it('reports every problem of a file in one pass', async () => {
    const text = SMALL_CONTRACT.replace('severity: warning', 'severity: fatal')
      .replace('sise', '')
      .replace('size(input.names) < 100', 'size(input.names) <')
    const codes = (await issuesOf(text)).map((i) => i.code)
    expect(codes).toEqual(['CONTRACT_SHAPE', 'CEL_SYNTAX'])
  })

  it('reports an unreadable file instead of throwing', async () => {
    if (process.getuid?.() === 0) {
      const { result } = { result: await loadContractFile('/nonexistent/dir/x.yaml') }
      expect(result).toMatchObject({ ok: false, issues: [{ code: 'READ_FAILED', line: 1, col: 1 }] })
      return
    }
    const { file } = await load(SMALL_CONTRACT)
    await chmod(file, 0)
    expect(await loadContractFile(file)).toMatchObject({ ok: false, issues: [{ code: 'READ_FAILED' }] })
  })
})
