import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ARTIFACT_NAMES } from '../../src/core/artifacts/names.js'
import { loadConfig } from '../../src/core/config/load.js'
import { artifactTemplates } from '../../src/core/init/artifact-templates.js'
import { flow, renderConfig } from '../../src/core/init/config-template.js'
import { detectPipeline, type Detection } from '../../src/core/init/detect.js'
import { updateGitignore } from '../../src/core/init/gitignore.js'
import { commandLine, summarizePaths } from '../../src/core/init/summary.js'
import { tempDir } from '../helpers/temp.js'

const node = detectPipeline(
  new Map([
    ['package.json', JSON.stringify({ scripts: { lint: 'eslint .', build: 'tsc', test: 'vitest run' } })],
    ['package-lock.json', ''],
  ]),
)
const nothing: Detection = { source: undefined, steps: [], notes: [] }

describe('renderConfig', () => {
  it('writes the detected commands as YAML that reads back', () => {
    const config = parse(renderConfig(node)) as Record<string, unknown>
    expect(config).toMatchObject({
      version: 1,
      provider: 'openai',
      pipeline: {
        install: { command: ['npm', 'ci'], when_changed: ['package.json', 'package-lock.json'] },
        lint: { command: ['npm', 'run', 'lint'], timeout_seconds: 300 },
        build: { command: ['npm', 'run', 'build'] },
        test: { command: ['npm', 'test'], timeout_seconds: 600 },
      },
      guard: { protected: expect.arrayContaining(['.github/**', 'macds.yaml']), max_deleted_lines: 200 },
      integration: { strategy: 'commits' },
    })
    expect(renderConfig(node)).toContain('# Detected from package.json (scripts lint, build, test')
  })

  it('leaves the pipeline as a commented example when nothing was detected', () => {
    const text = renderConfig(nothing)
    expect(parse(text)).not.toHaveProperty('pipeline')
    expect(text).toContain('runs cannot validate changes until you add them')
    expect(text).toContain('#   test: { command: [npm, test]')
  })

  it.each([
    ['detected', node],
    ['nothing detected', nothing],
  ])('is accepted by the configuration loader (%s)', async (_name, detection) => {
    const dir = await tempDir()
    await writeFile(join(dir, 'macds.yaml'), renderConfig(detection))
    const config = await loadConfig(dir)
    expect(config.file).toBe(join(dir, 'macds.yaml'))
  })

  it('quotes exactly the arguments that YAML would read as something else', () => {
    const items = ['-D', '--', '.', './...', 'true', '1', '~', 'null', 'a: b', 'x,y', '#x', '.[dev]', 'é', '']
    expect(parse(flow(items))).toEqual(items)
    expect(flow(['cargo', 'clippy', '--', '-D', 'warnings'])).toBe('[cargo, clippy, --, -D, warnings]')
  })
})

describe('artifactTemplates', () => {
  it('has every artifact, each naming its owner', () => {
    const templates = artifactTemplates('shop')
    expect(Object.keys(templates).sort()).toEqual([...ARTIFACT_NAMES].sort())
    for (const name of ARTIFACT_NAMES)
      expect(templates[name]).toMatch(/[Oo]wner: (product|architect|reviewer)/)
    expect(templates['REQUIREMENTS.md']).toContain('# REQUIREMENTS — shop')
  })

  it('writes API_CONTRACTS.yaml as valid YAML', () => {
    expect(parse(artifactTemplates('shop')['API_CONTRACTS.yaml'])).toEqual({ version: 1, interfaces: [] })
  })
})

describe('updateGitignore', () => {
  it.each<[string, string | undefined, string[], string]>([
    [
      'creates the file',
      undefined,
      [],
      '# macds: local runtime state, and the working and failure memory that stay on this machine\n.macds/\nmemory/working*\nmemory/failure*\n',
    ],
    [
      'appends after existing content without a final newline',
      'node_modules/',
      [],
      'node_modules/\n\n# macds: local runtime state, and the working and failure memory that stay on this machine\n.macds/\nmemory/working*\nmemory/failure*\n',
    ],
    [
      'adds nothing twice',
      '/.macds\nmemory/working*\nmemory/failure*\n',
      [],
      '/.macds\nmemory/working*\nmemory/failure*\n',
    ],
    [
      'adds only what is missing, and re-includes ignored paths',
      '*.log\n.macds/\n',
      ['artifacts/DESIGN_DECISIONS.log'],
      '*.log\n.macds/\n\n# macds: local runtime state, and the working and failure memory that stay on this machine\nmemory/working*\nmemory/failure*\n\n# macds: files that belong in the history although a pattern above ignores them\n!artifacts/DESIGN_DECISIONS.log\n',
    ],
  ])('%s', (_name, existing, reinclude, expected) => {
    expect(updateGitignore(existing, reinclude).text).toBe(expected)
  })
})

describe('summaries', () => {
  it('groups paths by directory when there are many', () => {
    const paths = [
      'macds.yaml',
      'contracts/a.yaml',
      'contracts/b.yaml',
      'contracts/c.yaml',
      'contracts/d.yaml',
    ]
    expect(summarizePaths([...paths, 'memory/policy.yaml'])).toEqual([
      'macds.yaml',
      'contracts/ (4 files)',
      'memory/policy.yaml',
    ])
  })

  it('shows commands as typed, quoting where needed', () => {
    expect(commandLine(['npm', 'run', 'format:check'])).toBe('npm run format:check')
    expect(commandLine(['pip', 'install', '-e', '.[dev]'])).toBe('pip install -e ".[dev]"')
  })
})
