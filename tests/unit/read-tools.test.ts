import { execFileSync } from 'node:child_process'
import { mkdir, symlink, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fitsStrictSubset } from '../../src/core/providers/strict-schema.js'
import {
  DEFAULT_READ_POLICY,
  READ_TOOLS,
  type ReadPolicy,
  runTool,
  type ToolResult,
} from '../../src/core/tools/index.js'
import { tempDir } from '../helpers/temp.js'

const SECRET = 'sk-not-a-real-key-but-secret'

/** Writes files (path → content) under `dir`, creating directories. */
async function write(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), content)
  }
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    stdio: 'ignore',
  })
}

/**
 * A real repository: committed sources, an untracked file, a deleted one, ignored files, secrets (committed and
 * not), a binary file, and symbolic links out of the work tree (to a file and to a directory) and
 * to a denied file inside it. Returns the root and the directory outside it.
 */
async function project(): Promise<{ root: string; outside: string }> {
  const outside = await tempDir('macds-outside-')
  await write(outside, { 'secret.txt': `outside ${SECRET}\n`, 'inner/deep.txt': `deep ${SECRET}\n` })
  const root = await tempDir('macds-tools-')
  git(root, 'init', '-q')
  await write(root, {
    '.gitignore': 'dist/\n*.log\n',
    'README.md': '# Demo\n\nA readme.\n',
    'src/index.ts': "export function main(): void {\n  loadConfig()\n}\n\nexport const name = 'demo'\n",
    'src/lib/config.ts': 'export function loadConfig(): string {\n  return process.env.TOKEN ?? ""\n}\n',
    'docs/guide.md': 'Call loadConfig first.\n',
    'src/old.ts': 'export const removed = loadConfig()\n',
    '.env': `TOKEN=${SECRET}\n`,
    'config/.env.local': `TOKEN=${SECRET}\n`,
    '.env.example': 'TOKEN=\n',
    'keys/server.pem': `-----BEGIN ${SECRET}-----\n`,
    'image.bin': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x0d, 0x0a, 0x6c, 0x6f, 0x61, 0x64]),
  })
  git(root, 'add', '.')
  git(root, 'commit', '-q', '-m', 'initial')
  await unlink(join(root, 'src/old.ts'))
  await write(root, {
    'src/new.ts': 'export const fresh = loadConfig()\n',
    'dist/bundle.js': 'loadConfig()\n',
    'debug.log': 'loadConfig failed\n',
  })
  await symlink(join(outside, 'secret.txt'), join(root, 'outside-link.txt'))
  await symlink(outside, join(root, 'outside-dir'))
  await symlink('.env', join(root, 'env-link'))
  await symlink('src/index.ts', join(root, 'index-link.ts'))
  return { root, outside }
}

async function call(
  root: string,
  name: string,
  args: unknown,
  read = DEFAULT_READ_POLICY,
): Promise<ToolResult> {
  return runTool({ name, arguments: args }, { root, read })
}

function content(result: ToolResult): string {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`)
  return result.content
}

function error(result: ToolResult): string {
  if (result.ok) throw new Error(`expected a refusal, got: ${result.content}`)
  return result.error
}

describe('list_files', () => {
  it('lists tracked and untracked files matching a glob, sorted', async () => {
    const { root } = await project()
    expect(content(await call(root, 'list_files', { glob: 'src/**/*.ts' })).split('\n')).toEqual([
      'src/index.ts',
      'src/lib/config.ts',
      'src/new.ts',
    ])
    expect(content(await call(root, 'list_files', { glob: 'src' }))).toBe(
      'src/index.ts\nsrc/lib/config.ts\nsrc/new.ts',
    )
  })

  it('leaves out ignored, deleted and denied files, .git and what lies behind a linked directory', async () => {
    const { root } = await project()
    const listed = content(await call(root, 'list_files', { glob: '**' })).split('\n')
    expect(listed).toEqual([
      '.env.example',
      '.gitignore',
      'README.md',
      'docs/guide.md',
      'env-link',
      'image.bin',
      'index-link.ts',
      'outside-dir',
      'outside-link.txt',
      'src/index.ts',
      'src/lib/config.ts',
      'src/new.ts',
    ])
    expect(content(await call(root, 'list_files', { glob: 'outside-dir/**' }))).toBe('outside-dir')
  })

  it('caps the list and says how many more match', async () => {
    const { root } = await project()
    await write(
      root,
      Object.fromEntries(Array.from({ length: 520 }, (_, i) => [`many/f${1000 + i}.txt`, 'x\n'])),
    )
    const lines = content(await call(root, 'list_files', { glob: 'many/*.txt' })).split('\n')
    expect(lines).toHaveLength(501)
    expect(lines[0]).toBe('many/f1000.txt')
    expect(lines[500]).toMatch(/^\[20 more files match "many\/\*\.txt" and are not shown\. Narrow the glob/)
  })

  it('says so when nothing matches', async () => {
    const { root } = await project()
    expect(content(await call(root, 'list_files', { glob: '**/*.py' }))).toMatch(/^No readable files match/)
  })
})

describe('read_file', () => {
  it('returns numbered lines', async () => {
    const { root } = await project()
    expect(content(await call(root, 'read_file', { path: 'src/lib/config.ts' }))).toBe(
      [
        'src/lib/config.ts (lines 1-3 of 3)',
        '1: export function loadConfig(): string {',
        '2:   return process.env.TOKEN ?? ""',
        '3: }',
      ].join('\n'),
    )
  })

  it('returns a 1-based inclusive range, clamped to the end', async () => {
    const { root } = await project()
    const range = await call(root, 'read_file', { path: 'src/index.ts', from_line: 2, to_line: 3 })
    expect(content(range)).toBe('src/index.ts (lines 2-3 of 5)\n2:   loadConfig()\n3: }')
    const tail = await call(root, 'read_file', { path: './src/index.ts', from_line: 5, to_line: 99 })
    expect(content(tail)).toBe("src/index.ts (lines 5-5 of 5)\n5: export const name = 'demo'")
    expect(error(await call(root, 'read_file', { path: 'src/index.ts', from_line: 9 }))).toBe(
      'from_line 9 is past the end: "src/index.ts" has 5 lines.',
    )
    expect(error(await call(root, 'read_file', { path: 'src/index.ts', from_line: 3, to_line: 2 }))).toMatch(
      /to_line \(2\) is before from_line \(3\)/,
    )
    expect(
      error(await call(root, 'read_file', { path: 'src/index.ts', from_line: 0, to_line: null })),
    ).toMatch(/Line numbers start at 1/)
  })

  it('cuts long answers at 400 lines or 32 KiB and says where to continue', async () => {
    const { root } = await project()
    await write(root, {
      'long.txt': Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n'),
      'wide.txt': Array.from({ length: 300 }, () => 'x'.repeat(200)).join('\n'),
    })
    const long = content(await call(root, 'read_file', { path: 'long.txt' })).split('\n')
    expect(long[0]).toBe('long.txt (lines 1-400 of 1000)')
    expect(long[400]).toBe('400: line 400')
    expect(long[401]).toMatch(/^\[Cut at line 400: .* Call read_file with from_line 401 for the rest\.\]$/)
    const next = content(await call(root, 'read_file', { path: 'long.txt', from_line: 401, to_line: 402 }))
    expect(next).toBe('long.txt (lines 401-402 of 1000)\n401: line 401\n402: line 402')

    const wide = content(await call(root, 'read_file', { path: 'wide.txt' }))
    expect(Buffer.byteLength(wide)).toBeLessThan(33 * 1024)
    expect(wide).toMatch(/\[Cut at line (\d+): .* from_line \d+ for the rest\.\]$/)
  })

  it('refuses binary files and directories, and follows links that stay inside', async () => {
    const { root } = await project()
    expect(error(await call(root, 'read_file', { path: 'image.bin' }))).toMatch(
      /"image.bin" is a binary file/,
    )
    expect(error(await call(root, 'read_file', { path: 'src' }))).toMatch(
      /"src" is a directory\. Call list_files with the glob "src\/\*\*"/,
    )
    expect(error(await call(root, 'read_file', { path: 'nope.ts' }))).toMatch(
      /"nope.ts" does not exist\. Call list_files/,
    )
    expect(content(await call(root, 'read_file', { path: 'index-link.ts', to_line: 1 }))).toBe(
      'index-link.ts (lines 1-1 of 5)\n1: export function main(): void {',
    )
  })

  it.each([
    ['a path climbing out', '../../etc/passwd', /contains "\.\."/],
    ['an absolute path', '/etc/passwd', /Absolute paths are refused/],
    ['a home path', '~/.ssh/id_rsa', /home directory/],
    [
      'a linked file pointing outside',
      'outside-link.txt',
      /leads outside the work tree through a symbolic link/,
    ],
    ['a file under a linked directory', 'outside-dir/secret.txt', /leads outside the work tree/],
    ['a deeper file under a linked directory', 'outside-dir/inner/deep.txt', /leads outside the work tree/],
    ['.env', '.env', /Reading "\.env" is not permitted: it matches the deny glob "\*\*\/\.env"/],
    ['a nested .env.local', 'config/.env.local', /Reading "config\/\.env\.local" is not permitted/],
    ['a key file', 'keys/server.pem', /deny glob "\*\*\/\*\.pem"/],
    ['a link to .env', 'env-link', /symbolic link to a file that may not be read/],
    ['.git/config', '.git/config', /git's own directory/],
    ['.git in another case', '.GIT/config', /git's own directory/],
  ])('refuses %s', async (_, path, message) => {
    const { root } = await project()
    const refusal = error(await call(root, 'read_file', { path }))
    expect(refusal).toMatch(message)
    expect(refusal).not.toContain(SECRET)
  })

  it('reads .env.example, a committed template', async () => {
    const { root } = await project()
    expect(content(await call(root, 'read_file', { path: '.env.example' }))).toContain('1: TOKEN=')
  })
})

describe('search', () => {
  it('finds lines as path:line: text in tracked and untracked files, sorted by path', async () => {
    const { root } = await project()
    expect(content(await call(root, 'search', { pattern: 'loadConfig', glob: null })).split('\n')).toEqual([
      'docs/guide.md:1: Call loadConfig first.',
      'src/index.ts:2:   loadConfig()',
      'src/lib/config.ts:1: export function loadConfig(): string {',
      'src/new.ts:1: export const fresh = loadConfig()',
    ])
  })

  it('limits the search to a glob', async () => {
    const { root } = await project()
    const found = content(
      await call(root, 'search', { pattern: 'export (function|const)', glob: 'src/**/*.ts' }),
    )
    expect(found.split('\n')).toEqual([
      'src/index.ts:1: export function main(): void {',
      "src/index.ts:5: export const name = 'demo'",
      'src/lib/config.ts:1: export function loadConfig(): string {',
      'src/new.ts:1: export const fresh = loadConfig()',
    ])
  })

  it('never returns lines of denied, ignored, binary or outside files', async () => {
    const { root } = await project()
    const found = content(await call(root, 'search', { pattern: 'TOKEN|sk-not|load' }))
    expect(found).not.toContain(SECRET)
    expect(found).not.toMatch(/^(\.env:|config\/|keys\/|env-link|outside|debug\.log|dist\/|image\.bin)/m)
    expect(found).toContain('.env.example:1: TOKEN=')
    expect(content(await call(root, 'search', { pattern: SECRET }))).toBe(
      `No matches for "${SECRET}" in readable files.`,
    )
    expect(content(await call(root, 'search', { pattern: 'deep', glob: 'outside-dir/**' }))).toMatch(
      /^No matches/,
    )
  })

  it('searches a pattern git refuses as a fixed string, and says so', async () => {
    const { root } = await project()
    const found = content(await call(root, 'search', { pattern: 'loadConfig(', glob: 'src/**' }))
    expect(found.split('\n')[0]).toMatch(
      /^\(The pattern is not a valid extended regular expression .*fixed string\.\)$/,
    )
    expect(found).toContain('src/index.ts:2:   loadConfig()')
  })

  it('caps the matches and says how many more there are', async () => {
    const { root } = await project()
    await write(root, { 'many.txt': Array.from({ length: 250 }, (_, i) => `needle ${i + 1}`).join('\n') })
    const lines = content(await call(root, 'search', { pattern: 'needle' })).split('\n')
    expect(lines).toHaveLength(201)
    expect(lines[199]).toBe('many.txt:200: needle 200')
    expect(lines[200]).toMatch(/^\[50 more matches are not shown\./)
  })

  it('refuses globs that leave the work tree', async () => {
    const { root } = await project()
    expect(error(await call(root, 'search', { pattern: 'x', glob: '../**' }))).toMatch(/contains "\.\."/)
    expect(error(await call(root, 'search', { pattern: 'x', glob: '/etc/*' }))).toMatch(/Absolute globs/)
    expect(error(await call(root, 'search', { pattern: '' }))).toMatch(/The pattern is empty/)
  })
})

describe('a custom read policy', () => {
  const srcOnly: ReadPolicy = { allow: ['src/**'], deny: [] }

  it('lists, reads and searches only what it allows', async () => {
    const { root } = await project()
    expect(content(await call(root, 'list_files', { glob: '**' }, srcOnly)).split('\n')).toEqual([
      'src/index.ts',
      'src/lib/config.ts',
      'src/new.ts',
    ])
    expect(error(await call(root, 'read_file', { path: 'README.md' }, srcOnly))).toBe(
      'Reading "README.md" is not permitted: it matches none of the allowed globs ("src/**"). Do not try other paths to the same file.',
    )
    expect(content(await call(root, 'read_file', { path: 'src/new.ts' }, srcOnly))).toContain('1: export')
    const found = content(await call(root, 'search', { pattern: 'loadConfig' }, srcOnly))
    expect(found.split('\n').every((line) => line.startsWith('src/'))).toBe(true)
    expect(error(await call(root, 'read_file', { path: '.git/HEAD' }, { allow: ['**'], deny: [] }))).toMatch(
      /git's own directory/,
    )
  })
})

describe('runTool', () => {
  it.each([
    [
      'an unknown tool',
      'write_file',
      { path: 'a' },
      /There is no tool named "write_file"\. The tools are list_files, read_file, search\./,
    ],
    ['a missing path', 'read_file', {}, /The argument "path" of read_file is missing; it is required/],
    [
      'broken JSON',
      'read_file',
      '{"path": "src/index.ts"',
      /The arguments of read_file are not valid JSON .*Send a JSON object such as \{"path":"src\/index.ts","from_line":null,"to_line":null\}/,
    ],
    ['an array', 'list_files', '["src"]', /must be a JSON object, not an array/],
    [
      'an ill-typed line',
      'read_file',
      { path: 'src/index.ts', from_line: 'two' },
      /"from_line" of read_file must be a whole number or null, not "two"/,
    ],
    [
      'an unknown argument',
      'search',
      { pattern: 'x', path: 'src' },
      /search has no argument "path"; its arguments are pattern, glob/,
    ],
  ])('answers %s with an error result', async (_, name, args, message) => {
    const { root } = await project()
    expect(error(await call(root, name, args))).toMatch(message)
  })

  it('accepts arguments as a JSON string, with optional ones left out or as digits', async () => {
    const { root } = await project()
    const result = await call(root, 'read_file', '{"path":"src/index.ts","to_line":"1"}')
    expect(content(result)).toBe('src/index.ts (lines 1-1 of 5)\n1: export function main(): void {')
  })

  it('rejects with the reason when the signal is already aborted', async () => {
    const { root } = await project()
    const controller = new AbortController()
    controller.abort(new Error('stopped'))
    await expect(
      runTool(
        { name: 'search', arguments: { pattern: 'x' } },
        { root, read: DEFAULT_READ_POLICY, signal: controller.signal },
      ),
    ).rejects.toThrow('stopped')
  })
})

describe('READ_TOOLS', () => {
  it('are strict function definitions, every property required', () => {
    expect(READ_TOOLS.map((t) => t.function.name)).toEqual(['list_files', 'read_file', 'search'])
    for (const { type, function: fn } of READ_TOOLS) {
      expect(type).toBe('function')
      expect(fn.strict).toBe(true)
      expect(fitsStrictSubset(fn.parameters as unknown as Record<string, unknown>)).toBe(true)
      expect(fn.parameters.required).toEqual(Object.keys(fn.parameters.properties))
    }
  })
})
