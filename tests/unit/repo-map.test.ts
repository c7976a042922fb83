import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  buildRepoMap,
  estimateTokens,
  type RepoMap,
  type RepoMapOptions,
  renderRepoMap,
} from '../../src/core/repo/index.js'
import { tempDir } from '../helpers/temp.js'

function git(dir: string, ...args: string[]): string {
  const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false']
  return execFileSync('git', [...identity, ...args], { cwd: dir, encoding: 'utf8' })
}

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
}

/** A git repository in a fresh temp dir, with `files` committed. */
async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('macds-repo-')
  git(dir, 'init', '-q')
  await write(dir, files)
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'start')
  return dir
}

/** Builds the map and returns it with the paths parsed on the way. */
async function build(dir: string, options: RepoMapOptions = {}): Promise<{ map: RepoMap; parsed: string[] }> {
  const parsed: string[] = []
  const map = await buildRepoMap(dir, { ...options, onParse: (path) => parsed.push(path) })
  return { map, parsed }
}

const root = resolve(import.meta.dirname, '../..')

const fileOf = (map: RepoMap, path: string) => map.files.find((file) => file.path === path)
const paths = (map: RepoMap) => map.files.map((file) => file.path)

describe('buildRepoMap: files', () => {
  it('lists tracked and staged files, not ignored or untracked ones', async () => {
    const dir = await repoWith({ '.gitignore': '*.log\nbuild/\n', 'README.md': '# hi\n', 'src/a.ts': '' })
    await write(dir, { 'debug.log': 'x', 'build/out.js': 'export const x = 1', 'notes.txt': 'untracked' })
    await write(dir, { 'src/staged.ts': 'export const staged = 1\n' })
    git(dir, 'add', 'src/staged.ts')
    const { map } = await build(dir)
    expect(map.root).toBe(dir)
    expect(paths(map)).toEqual(['.gitignore', 'README.md', 'src/a.ts', 'src/staged.ts'])
    expect(fileOf(map, 'src/staged.ts')?.symbols).toEqual([{ name: 'staged', kind: 'const' }])
  })

  it('gives sizes in bytes and a blob id per file', async () => {
    const dir = await repoWith({ 'a.txt': 'héllo\n', 'empty.md': '' })
    const { map } = await build(dir)
    expect(fileOf(map, 'a.txt')).toEqual({
      path: 'a.txt',
      size: 7,
      blob: git(dir, 'rev-parse', ':a.txt').trim(),
    })
    expect(fileOf(map, 'empty.md')?.size).toBe(0)
  })

  it('keeps a path with spaces and non-ASCII letters as it is', async () => {
    const path = 'docs/my notes/ünïcødé — file.ts'
    const dir = await repoWith({ [path]: 'export function grüß() {}\n' })
    const { map } = await build(dir)
    expect(paths(map)).toEqual([path])
    expect(fileOf(map, path)?.symbols).toEqual([{ name: 'grüß', kind: 'function' }])
  })

  it('marks files edited or deleted since the index', async () => {
    const dir = await repoWith({ 'a.ts': 'export const a = 1\n', 'b.ts': 'export const b = 1\n' })
    const edit = 'export const a = 1\nexport const more = 2\n'
    await writeFile(join(dir, 'a.ts'), edit)
    await rm(join(dir, 'b.ts'))
    const { map } = await build(dir)
    expect(fileOf(map, 'a.ts')).toMatchObject({ changed: 'modified', size: edit.length })
    expect(fileOf(map, 'a.ts')?.symbols?.map((s) => s.name)).toEqual(['a', 'more'])
    expect(fileOf(map, 'b.ts')).toMatchObject({ changed: 'deleted', size: 0 })
    expect(fileOf(map, 'b.ts')?.symbols).toBeUndefined()
  })

  it('lists a file over the parse cap without parsing it', async () => {
    const big = `export const big = '${'x'.repeat(200)}'\n`
    const dir = await repoWith({ 'big.ts': big, 'small.ts': 'export {}\n' })
    const { map, parsed } = await build(dir, { maxParseBytes: 100 })
    expect(fileOf(map, 'big.ts')).toMatchObject({ size: big.length, skipped: 'too_large' })
    expect(fileOf(map, 'big.ts')?.symbols).toBeUndefined()
    expect(parsed).toEqual(['small.ts'])
  })

  it('maps a folder inside a work tree with paths relative to it', async () => {
    const dir = await repoWith({ 'top.ts': '', 'src/a.ts': 'export const a = 1\n', 'src/b.ts': '' })
    await writeFile(join(dir, 'src/b.ts'), 'export const b = 2\n')
    const { map } = await build(join(dir, 'src'))
    expect(paths(map)).toEqual(['a.ts', 'b.ts'])
    expect(fileOf(map, 'b.ts')).toMatchObject({
      changed: 'modified',
      symbols: [{ name: 'b', kind: 'const' }],
    })
  })

  it.each([
    ['a directory outside any repository', async () => tempDir('macds-not-git-')],
    ['a directory that does not exist', async () => join(await tempDir('macds-not-git-'), 'missing')],
  ])('refuses %s with REPO_NOT_GIT', async (_, dirOf) => {
    const dir = await dirOf()
    await expect(buildRepoMap(dir)).rejects.toMatchObject({
      code: 'REPO_NOT_GIT',
      kind: 'user',
      hint: expect.stringContaining('git init'),
    })
    expect(existsSync(join(dir, '.macds'))).toBe(false)
  })

  it('stops when its signal is aborted', async () => {
    const dir = await repoWith({ 'a.ts': '' })
    const reason = new Error('stopped')
    await expect(buildRepoMap(dir, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })
})

describe('buildRepoMap: exported symbols', () => {
  it('finds every kind of TypeScript export', async () => {
    const source = [
      "import { helper } from './helper.js'",
      "import Thing, * as all from './thing.js'",
      'export function run() {}',
      'export async function* stream() {}',
      'export function over(a: string): void',
      'export function over(a: number): void',
      'export function over(a: unknown) {}',
      'export class Runner {}',
      'export abstract class Base {}',
      'export interface Options { a: string }',
      'export type Id = string',
      'export const LIMIT = 1, other = 2',
      'export let counter = 0',
      'export const { left, right: renamed, nested: [deep] } = pair()',
      'export enum Color { Red }',
      'export const enum Flag { On }',
      'export namespace Tools { export const inner = 1 }',
      'export declare function declared(): void',
      'const local = 1',
      'class Hidden {}',
      'export { local as exposed, Hidden, helper, Thing as Renamed, all }',
      'export type { Options as Settings }',
      "export { a as b, default as theirs } from './other.js'",
      "export * from './everything.js'",
      "export * as space from './space.js'",
      'export default class Main {}',
      'function notExported() {}',
    ].join('\n')
    const dir = await repoWith({ 'src/all.ts': source })
    const { map } = await build(dir)
    expect(fileOf(map, 'src/all.ts')?.symbols).toEqual([
      { name: 'run', kind: 'function' },
      { name: 'stream', kind: 'function' },
      { name: 'over', kind: 'function' },
      { name: 'Runner', kind: 'class' },
      { name: 'Base', kind: 'class' },
      { name: 'Options', kind: 'interface' },
      { name: 'Id', kind: 'type' },
      { name: 'LIMIT', kind: 'const' },
      { name: 'other', kind: 'const' },
      { name: 'counter', kind: 'variable' },
      { name: 'left', kind: 'const' },
      { name: 'renamed', kind: 'const' },
      { name: 'deep', kind: 'const' },
      { name: 'Color', kind: 'enum' },
      { name: 'Flag', kind: 'enum' },
      { name: 'Tools', kind: 'namespace' },
      { name: 'declared', kind: 'function' },
      { name: 'exposed', kind: 'const' },
      { name: 'Hidden', kind: 'class' },
      { name: 'helper', kind: 're-export', from: './helper.js' },
      { name: 'Renamed', kind: 're-export', from: './thing.js' },
      { name: 'all', kind: 're-export', from: './thing.js' },
      { name: 'Settings', kind: 'interface' },
      { name: 'b', kind: 're-export', from: './other.js' },
      { name: 'theirs', kind: 're-export', from: './other.js' },
      { name: '*', kind: 're-export', from: './everything.js' },
      { name: 'space', kind: 're-export', from: './space.js' },
      { name: 'Main', kind: 'default' },
    ])
  })

  it.each([
    [
      'esm.js',
      'export default function () {}\nexport const a = () => 1\n',
      [
        { name: 'default', kind: 'default' },
        { name: 'a', kind: 'const' },
      ],
    ],
    [
      'named-default.mjs',
      'function start() {}\nexport { start as default }\n',
      [{ name: 'start', kind: 'default' }],
    ],
    ['value-default.jsx', 'export default <div />\n', [{ name: 'default', kind: 'default' }]],
    ['identifier-default.ts', 'const app = 1\nexport default app\n', [{ name: 'app', kind: 'default' }]],
    ['equals.cts', 'declare const api: number\nexport = api\n', [{ name: 'api', kind: 'default' }]],
    [
      'common.cjs',
      'function serve() {}\nmodule.exports = serve\nmodule.exports.port = 80\nexports.start = function () {}\n',
      [
        { name: 'serve', kind: 'default' },
        { name: 'port', kind: 'variable' },
        { name: 'start', kind: 'function' },
      ],
    ],
    [
      'component.tsx',
      'export function Button(): JSX.Element { return <button /> }\n',
      [{ name: 'Button', kind: 'function' }],
    ],
    ['nothing.js', 'const hidden = 1\nconsole.log(hidden)\n', []],
  ])('reads the exports of %s', async (path, source, expected) => {
    const dir = await repoWith({ [path]: source })
    const { map } = await build(dir)
    expect(fileOf(map, path)?.symbols).toEqual(expected)
  })

  it('gives no symbols to files in other languages', async () => {
    const dir = await repoWith({
      'README.md': 'export function notCode() {}\n',
      'data.json': '{"export": 1}\n',
      'script.py': 'def run(): pass\n',
      Makefile: 'all:\n',
    })
    const { map, parsed } = await build(dir)
    expect(map.files.map((file) => file.symbols)).toEqual([undefined, undefined, undefined, undefined])
    expect(parsed).toEqual([])
  })

  it('does not parse a module in which the word export does not occur', async () => {
    const dir = await repoWith({
      'a.test.ts': "import { a } from './a.js'\ntest('a', () => a())\n",
      'a.ts': 'export const a = () => 1\n',
    })
    const { map, parsed } = await build(dir)
    expect(parsed).toEqual(['a.ts'])
    expect(fileOf(map, 'a.test.ts')?.symbols).toEqual([])
  })

  it('lists a file with a syntax error and keeps the exports the parser recovered', async () => {
    const dir = await repoWith({
      'broken.ts': 'export function ok() {}\nexport const = ;\n}}}\nexport class Later {}\n',
    })
    const { map } = await build(dir)
    const names = fileOf(map, 'broken.ts')?.symbols?.map((s) => s.name)
    expect(names).toContain('ok')
    expect(names).toContain('Later')
  })
})

describe('buildRepoMap: cache', () => {
  const files = {
    'src/a.ts': 'export const a = 1\n',
    'src/b.ts': 'export function b() {}\n',
    'lib/c.js': 'export class C {}\n',
    'README.md': '# readme\n',
  }

  it('reuses the cache on a second build: nothing is parsed, the map is the same', async () => {
    const dir = await repoWith(files)
    const first = await build(dir)
    expect(first.parsed.sort()).toEqual(['lib/c.js', 'src/a.ts', 'src/b.ts'])
    const second = await build(dir)
    expect(second.parsed).toEqual([])
    expect(second.map).toEqual(first.map)
    expect(existsSync(join(dir, '.macds/cache/repo-map.json'))).toBe(true)
    expect(git(dir, 'status', '--porcelain')).toBe('') // the cache stays out of git status
  })

  it('parses a changed file again, and only it; committing it parses nothing', async () => {
    const dir = await repoWith(files)
    await build(dir)
    await writeFile(join(dir, 'src/b.ts'), 'export function b() {}\nexport type B = 1\n')
    const edited = await build(dir)
    expect(edited.parsed).toEqual(['src/b.ts'])
    expect(fileOf(edited.map, 'src/b.ts')?.symbols).toEqual([
      { name: 'b', kind: 'function' },
      { name: 'B', kind: 'type' },
    ])
    expect((await build(dir)).parsed).toEqual([]) // the edited content is cached by its own id
    git(dir, 'commit', '-q', '-am', 'edit b')
    const committed = await build(dir)
    expect(committed.parsed).toEqual([]) // its blob id is the id the edit was cached under
    expect(fileOf(committed.map, 'src/b.ts')).toEqual({
      path: 'src/b.ts',
      size: fileOf(edited.map, 'src/b.ts')?.size,
      blob: git(dir, 'rev-parse', ':src/b.ts').trim(),
      symbols: fileOf(edited.map, 'src/b.ts')?.symbols,
    })
    await write(dir, { 'src/new.ts': 'export const fresh = 1\n' })
    git(dir, 'add', 'src/new.ts')
    expect((await build(dir)).parsed).toEqual(['src/new.ts'])
  })

  it('gives a file restored after an edit its committed entry back, without parsing', async () => {
    const dir = await repoWith(files)
    const { map } = await build(dir)
    await writeFile(join(dir, 'src/a.ts'), 'export const changed = 1\n')
    expect((await build(dir)).parsed).toEqual(['src/a.ts'])
    git(dir, 'checkout', '--', 'src/a.ts')
    const restored = await build(dir)
    expect(restored.parsed).toEqual([])
    expect(restored.map).toEqual(map)
  })

  it('does not parse a file again when its content comes back under another path', async () => {
    const dir = await repoWith(files)
    await build(dir)
    git(dir, 'mv', 'src/a.ts', 'src/moved.ts')
    const moved = await build(dir)
    expect(moved.parsed).toEqual([])
    expect(fileOf(moved.map, 'src/moved.ts')?.symbols).toEqual([{ name: 'a', kind: 'const' }])
  })

  it.each([
    ['corrupt', '{"version": 1, "key": '],
    ['from another version', JSON.stringify({ version: 999, key: 'x', maxParseBytes: 524288, map: {} })],
    [
      'of the wrong shape',
      JSON.stringify({ version: 1, key: 'x', maxParseBytes: 524288, map: { files: 7 } }),
    ],
  ])('rebuilds a cache that is %s', async (_, text) => {
    const dir = await repoWith(files)
    const first = await build(dir)
    for (const name of ['repo-map.json', 'repo-symbols.json'])
      await writeFile(join(dir, '.macds/cache', name), text)
    const rebuilt = await build(dir)
    expect(rebuilt.map).toEqual(first.map)
    expect(rebuilt.parsed).toHaveLength(3)
    JSON.parse(await readFile(join(dir, '.macds/cache/repo-map.json'), 'utf8'))
    expect((await build(dir)).parsed).toEqual([])
  })

  it('builds without touching .macds when the cache is off', async () => {
    const dir = await repoWith(files)
    const { parsed } = await build(dir, { cache: false })
    expect(parsed).toHaveLength(3)
    expect(existsSync(join(dir, '.macds'))).toBe(false)
  })
})

describe('buildRepoMap: loading the parser', () => {
  it('loads the TypeScript compiler only once a file needs parsing', async () => {
    const docs = await repoWith({ 'README.md': '# docs\n', 'data.json': '{}\n' })
    const code = await repoWith({ 'a.ts': 'export const a = 1\n' })
    const script = [
      "import { createRequire } from 'node:module'",
      `import { buildRepoMap } from ${JSON.stringify(pathToFileURL(join(root, 'src/core/repo/index.ts')).href)}`,
      'const loaded = () =>',
      "  Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/typescript/'))",
      `await buildRepoMap(${JSON.stringify(docs)})`,
      'const before = loaded()',
      `await buildRepoMap(${JSON.stringify(code)})`,
      'console.log(JSON.stringify([before, loaded()]))',
    ].join('\n')
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    })
    expect(JSON.parse(output)).toEqual([false, true])
  })
})

describe('renderRepoMap', () => {
  const map: RepoMap = {
    root: '/repo',
    files: [
      { path: 'README.md', size: 2048, blob: 'b1' },
      { path: 'src/cli.ts', size: 300, blob: 'b2', symbols: [{ name: 'main', kind: 'function' }] },
      {
        path: 'src/core/engine/deep/long.ts',
        size: 9000,
        blob: 'b3',
        symbols: [
          { name: 'Engine', kind: 'class' },
          { name: '*', kind: 're-export', from: './parts.js' },
          { name: 'default', kind: 'default' },
        ],
      },
      { path: 'src/core/util.ts', size: 10, blob: 'b4', symbols: [], changed: 'modified' },
      { path: 'src/gone.ts', size: 0, blob: 'b5', changed: 'deleted' },
      { path: 'vendor.js', size: 900_000, blob: 'b6', skipped: 'too_large' },
    ],
  }

  it('lists every file with its size and symbols when the budget allows', () => {
    const result = renderRepoMap(map, { maxTokens: 1000 })
    expect(result.text).toBe(
      [
        'README.md 2.0 KB',
        'src/cli.ts 300 B: function main',
        'src/core/engine/deep/long.ts 8.8 KB: class Engine, * from ./parts.js, default',
        'src/core/util.ts 10 B (modified)',
        'src/gone.ts (deleted)',
        'vendor.js 878.9 KB (too large to parse)',
        '',
      ].join('\n'),
    )
    expect(result).toMatchObject({ files_shown: 6, files_total: 6, tokens: estimateTokens(result.text) })
  })

  it.each([0, 5, 20, 30, 40, 50, 55, 60, 80])(
    'fits a budget of %i tokens and says how many files it left out',
    (maxTokens) => {
      const result = renderRepoMap(map, { maxTokens })
      expect(result.tokens).toBe(estimateTokens(result.text))
      expect(result.tokens).toBeLessThanOrEqual(maxTokens)
      expect(result.files_total).toBe(6)
      const lines = result.text.split('\n').filter(Boolean)
      if (result.files_shown === 6) expect(lines).toHaveLength(6)
      else if (result.text !== '') {
        expect(lines.at(-1)).toBe(`(${6 - result.files_shown} of 6 files left out)`)
        expect(lines).toHaveLength(result.files_shown + 1)
      } else expect(result.files_shown).toBe(0)
    },
  )

  it('leaves out the deepest files first, then the longest lines', () => {
    const result = renderRepoMap(map, { maxTokens: 40 })
    expect(result.text).toBe(
      [
        'README.md 2.0 KB',
        'src/cli.ts 300 B: function main',
        'src/gone.ts (deleted)',
        'vendor.js 878.9 KB (too large to parse)',
        '(2 of 6 files left out)',
        '',
      ].join('\n'),
    )
    expect(result.files_shown).toBe(4)
  })
})

describe('estimateTokens', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
    ['x'.repeat(400), 100],
  ])('estimates %j as %i tokens', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens)
  })
})
