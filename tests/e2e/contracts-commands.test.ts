import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp.js'

/** A project directory holding a copy of the shipped contracts. */
async function project(): Promise<string> {
  const dir = await tempDir()
  await cp(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true })
  return dir
}

async function edit(dir: string, name: string, search: string | RegExp, replace: string): Promise<string> {
  const file = join(dir, 'contracts', `${name}.yaml`)
  const text = await readFile(file, 'utf8')
  const changed = text.replace(search, replace)
  if (changed === text) throw new Error(`${search} not found in ${name}.yaml`)
  await writeFile(file, changed)
  return changed
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length
}

describe('macds contracts validate', () => {
  it('accepts the shipped contracts', async () => {
    const result = await runCli(['contracts', 'validate'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^9 contracts valid$/m)
  })

  it('names a YAML syntax error, an unknown severity and a CEL typo with file:line:col, and exits 2', async () => {
    const dir = await project()
    await edit(dir, 'requirements', /^description: (.*)$/m, 'description: [$1')
    const architecture = await edit(dir, 'architecture', /severity: warning/, 'severity: critical')
    const review = await edit(dir, 'review', /!has\(c\.end_line\)/, '!hass(c.end_line)')
    const result = await runCli(['contracts', 'validate', '--cwd', dir])
    expect(result.code).toBe(2)
    expect(result.stdout).toMatch(/^contracts\/requirements\.yaml:\d+:\d+ {2}.*\(YAML_SYNTAX\)$/m)
    const severityLine = lineOf(architecture, 'severity: critical')
    expect(result.stdout).toMatch(
      new RegExp(
        `^contracts/architecture\\.yaml:${severityLine}:\\d+ {2}.*"critical".*\\(CONTRACT_SHAPE\\)$`,
        'm',
      ),
    )
    const celLine = lineOf(review, 'hass(')
    expect(result.stdout).toMatch(
      new RegExp(`^contracts/review\\.yaml:${celLine}:\\d+ {2}.*hass.*\\[REV-\\d+\\] \\(CEL_TYPE\\)$`, 'm'),
    )
    expect(result.stdout).toContain(`> ${celLine} |`)
    expect(result.stdout).toMatch(/3 of 9 contracts invalid \(\d+ issues\)/)
    expect(result.stderr).toBe('')
  })

  it('prints JSON with --json and validates another directory', async () => {
    const dir = await project()
    await edit(dir, 'review', /!has\(c\.end_line\)/, '!hass(c.end_line)')
    const result = await runCli(['contracts', 'validate', '--json', join(dir, 'contracts')])
    expect(result.code).toBe(2)
    const report = JSON.parse(result.stdout) as {
      ok: boolean
      contracts: { name: string; status: string; issues: unknown[] }[]
    }
    expect(report.ok).toBe(false)
    expect(report.contracts.filter((c) => c.status === 'invalid').map((c) => c.name)).toEqual(['review'])
    expect(report.contracts.find((c) => c.name === 'review')?.issues).toMatchObject([
      { code: 'CEL_TYPE', rule_id: expect.any(String) },
    ])
  })
})

describe('macds contracts list', () => {
  it('shows name, version, rules and status, including an invalid contract', async () => {
    const dir = await project()
    await edit(dir, 'architecture', /severity: warning/, 'severity: critical')
    const result = await runCli(['contracts', 'list', '--cwd', dir])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^NAME\s+VERSION\s+RULES\s+STATUS$/m)
    expect(result.stdout).toMatch(/^review\s+\d+\.\d+\.\d+\s+\d+\s+valid$/m)
    expect(result.stdout).toMatch(/^architecture\s+-\s+-\s+invalid: \d+:\d+ .*critical/m)
  })
})

describe('macds contracts check', () => {
  const fixture = (name: string) => join(repoRoot, 'tests/fixtures/contracts', name)

  it('exits 0 for a valid value and 1 with the violations for an invalid one', async () => {
    const dir = await tempDir()
    const valid = (await import('yaml')).parse(await readFile(fixture('architecture.valid.yaml'), 'utf8'))
    await writeFile(join(dir, 'out.json'), JSON.stringify(valid.output))
    await writeFile(join(dir, 'in.json'), JSON.stringify(valid.input))
    const ok = await runCli([
      'contracts',
      'check',
      'architecture',
      join(dir, 'out.json'),
      '--with-input',
      join(dir, 'in.json'),
    ])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/architecture \S+ output: 0 errors, 0 other violations/)

    await writeFile(join(dir, 'bad.yaml'), 'components: []\ninvariants: nope\n')
    const bad = await runCli(['contracts', 'check', 'architecture', join(dir, 'bad.yaml'), '--json'])
    expect(bad.code).toBe(1)
    const report = JSON.parse(bad.stdout) as {
      ok: boolean
      violations: { rule_id: string; location: string }[]
    }
    expect(report.ok).toBe(false)
    expect(report.violations).toContainEqual(
      expect.objectContaining({ rule_id: 'SCHEMA', location: '/invariants' }),
    )
  })

  it('says which rules it skipped without an input', async () => {
    const dir = await tempDir()
    const valid = (await import('yaml')).parse(await readFile(fixture('architecture.valid.yaml'), 'utf8'))
    await writeFile(join(dir, 'out.json'), JSON.stringify(valid.output))
    const result = await runCli(['contracts', 'check', 'architecture', join(dir, 'out.json')])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/skipped ARCH-\d+.*pass --with-input FILE/)
  })

  it('reports an unparsable value file with its position, and an unknown contract', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'bad.json'), '{"components": [}')
    const syntax = await runCli(['contracts', 'check', 'architecture', join(dir, 'bad.json')])
    expect(syntax.code).toBe(2)
    expect(syntax.stderr).toMatch(/bad\.json:1:\d+/)
    const unknown = await runCli(['contracts', 'check', 'archtecture', join(dir, 'bad.json')])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("no contract named 'archtecture'")
    expect(unknown.stderr).toContain('architecture')
  })
})
