import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot, runCli } from '../helpers/cli.js'
import { gitRepo, sh, writeFiles } from '../helpers/git-repo.js'
import { tempDir } from '../helpers/temp.js'

const ARTIFACTS = [
  'REQUIREMENTS.md',
  'ARCHITECTURE.md',
  'DESIGN_DECISIONS.log',
  'API_CONTRACTS.yaml',
  'CODING_STANDARDS.md',
  'RISK_REGISTER.md',
]

async function pipelineOf(dir: string): Promise<Record<string, { command: string[] }> | undefined> {
  const config = parse(await readFile(join(dir, 'macds.yaml'), 'utf8')) as { pipeline?: never }
  return config.pipeline
}

describe('macds init', () => {
  it('scaffolds a node project with the commands of its scripts', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({
        name: 'shop',
        scripts: { lint: 'eslint .', build: 'tsc', test: 'vitest' },
      }),
      'package-lock.json': '{}',
    })
    const result = await runCli(['init'], { cwd: dir })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Pipeline, detected from package.json (scripts lint, build, test; npm')
    expect(result.stdout).toMatch(/install\s+npm ci\s+\(when package.json or package-lock.json change\)/)
    expect(result.stdout).toContain('macds run "<requirement>"')
    expect(await pipelineOf(dir)).toEqual({
      install: {
        command: ['npm', 'ci'],
        when_changed: ['package.json', 'package-lock.json'],
        timeout_seconds: 600,
      },
      lint: { command: ['npm', 'run', 'lint'], timeout_seconds: 300 },
      build: { command: ['npm', 'run', 'build'], timeout_seconds: 600 },
      test: { command: ['npm', 'test'], timeout_seconds: 600 },
    })
    for (const name of ARTIFACTS) expect(existsSync(join(dir, 'artifacts', name)), name).toBe(true)
    expect(parse(await readFile(join(dir, 'artifacts/API_CONTRACTS.yaml'), 'utf8'))).toBeTypeOf('object')
    for (const sub of ['contracts', 'agents']) {
      expect((await readdir(join(dir, sub))).sort()).toEqual((await readdir(join(repoRoot, sub))).sort())
    }
    expect(await readFile(join(dir, 'memory/policy.yaml'), 'utf8')).toBe(
      await readFile(join(repoRoot, 'memory/policy.yaml'), 'utf8'),
    )
  })

  it.each<[string, Record<string, string>, Record<string, string[]>]>([
    [
      'a Go module',
      { 'go.mod': 'module example.com/x\n\ngo 1.22\n' },
      {
        install: ['go', 'mod', 'download'],
        lint: ['go', 'vet', './...'],
        build: ['go', 'build', './...'],
        test: ['go', 'test', './...'],
      },
    ],
    [
      'a Python project',
      { 'pyproject.toml': '[project]\nname = "x"\n\n[tool.ruff]\n\n[tool.pytest.ini_options]\n' },
      {
        install: ['python', '-m', 'pip', 'install', '-e', '.'],
        lint: ['ruff', 'check', '.'],
        test: ['python', '-m', 'pytest'],
      },
    ],
  ])('detects the pipeline of %s', async (_name, files, expected) => {
    const dir = await gitRepo(files)
    const result = await runCli(['init'], { cwd: dir })
    expect(result.code).toBe(0)
    const pipeline = await pipelineOf(dir)
    expect(Object.fromEntries(Object.entries(pipeline ?? {}).map(([k, v]) => [k, v.command]))).toEqual(
      expected,
    )
  })

  it('writes a commented example and warns when nothing is detected', async () => {
    const dir = await gitRepo()
    const result = await runCli(['init'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Pipeline: no build, lint or test commands detected.')
    expect(result.stderr).toContain('warning: runs cannot validate changes')
    const text = await readFile(join(dir, 'macds.yaml'), 'utf8')
    expect(text).toContain('# pipeline:')
    expect(parse(text)).toMatchObject({ version: 1, integration: { strategy: 'commits' } })
  })

  it.each<[string, (dir: string) => void, string, string]>([
    ['not a repository', () => {}, 'is not inside a git repository', '`git init`'],
    [
      'a repository without commits',
      (dir) => sh(dir, 'init', '--quiet'),
      'has no commits yet',
      'git commit --allow-empty -m init',
    ],
  ])('refuses %s with the next step, exit 2', async (_name, prepare, message, hint) => {
    const dir = await tempDir()
    prepare(dir)
    const result = await runCli(['init'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).toContain(hint)
    expect(await readdir(dir)).not.toContain('macds.yaml')
  })

  it('refuses a detached HEAD with the next step, exit 2', async () => {
    const dir = await gitRepo()
    sh(dir, 'checkout', '--quiet', '--detach')
    const result = await runCli(['init'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('HEAD is detached')
    expect(result.stderr).toContain('git switch -c main')
  })

  it('scaffolds the top of the repository when started in a subdirectory', async () => {
    const dir = await gitRepo({ 'src/index.js': '' })
    const result = await runCli(['init', '--cwd', join(dir, 'src')])
    expect(result.code).toBe(0)
    expect(existsSync(join(dir, 'macds.yaml'))).toBe(true)
  })

  it('refuses to overwrite without --force, writing nothing; --force overwrites', async () => {
    const dir = await gitRepo()
    writeFiles(dir, { 'macds.yaml': 'version: 1\n', 'artifacts/REQUIREMENTS.md': 'mine\n' })
    const refused = await runCli(['init'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('would overwrite 2 existing files; nothing was written')
    expect(refused.stderr).toContain('    macds.yaml\n    artifacts/REQUIREMENTS.md')
    expect(refused.stderr).toContain('--force')
    expect((await readdir(dir)).sort()).toEqual(['.git', 'README.md', 'artifacts', 'macds.yaml'])
    expect(await readdir(join(dir, 'artifacts'))).toEqual(['REQUIREMENTS.md'])
    expect(await readFile(join(dir, 'macds.yaml'), 'utf8')).toBe('version: 1\n')

    const forced = await runCli(['init', '--force'], { cwd: dir })
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('replaced  macds.yaml')
    expect(forced.stdout).toContain('replaced  artifacts/REQUIREMENTS.md')
    expect(await readFile(join(dir, 'macds.yaml'), 'utf8')).toContain('integration:')
    expect(await readFile(join(dir, 'artifacts/REQUIREMENTS.md'), 'utf8')).toContain('Owner: product')
  })

  it('adds .macds/ to .gitignore once, keeping what is there', async () => {
    const dir = await gitRepo({ '.gitignore': 'node_modules/\n*.log\n' })
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0)
    expect((await runCli(['init', '--force'], { cwd: dir })).code).toBe(0)
    const text = await readFile(join(dir, '.gitignore'), 'utf8')
    expect(text.startsWith('node_modules/\n*.log\n')).toBe(true)
    expect(text.match(/^\.macds\/$/gm)).toHaveLength(1)
    expect(text).toContain('memory/working*')
    expect(text).toContain('!artifacts/DESIGN_DECISIONS.log')
    sh(dir, 'add', '--all')
    const staged = sh(dir, 'diff', '--cached', '--name-only')
    expect(staged).toContain('artifacts/DESIGN_DECISIONS.log')
    expect(staged).toContain('memory/policy.yaml')
  })

  it('creates .gitignore when there is none', async () => {
    const dir = await gitRepo()
    await runCli(['init'], { cwd: dir })
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toContain('.macds/\n')
  })

  it('leaves a configuration, contracts and agents that load without problems', async () => {
    const dir = await gitRepo()
    await writeFile(join(dir, 'go.mod'), 'module example.com/x\n')
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0)
    const validate = await runCli(['contracts', 'validate'], { cwd: dir })
    expect(validate.stdout).toMatch(/\d+ contracts valid/)
    expect(validate.code).toBe(0)
    const agents = await runCli(['agents', 'list'], { cwd: dir })
    expect(agents.code).toBe(0)
  })
})
