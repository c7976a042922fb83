import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkChangeSet, type CheckOptions } from '../../src/core/changeset/index.js'
import type { GuardConfig } from '../../src/core/config/workspace-types.js'
import type { ChangeSet } from '../../src/core/run/workspace.js'
import { tempDir } from '../helpers/temp.js'

const GUARD: GuardConfig = {
  protected: ['src/auth/**', 'macds.yaml'],
  max_deleted_lines: 200,
  max_file_bytes: 1000,
  trusted_may_change: [],
}

async function write(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), content)
  }
}

/**
 * A work tree with sources and, outside it, a directory with a secret; symbolic links of every kind
 * point from the tree to both.
 */
async function project(): Promise<{ root: string; outside: string }> {
  const outside = await tempDir('macds-outside-')
  await write(outside, { 'secret.txt': 'secret\n', 'dir/inner.txt': 'inner\n' })
  const root = await tempDir('macds-guard-')
  await write(root, {
    'src/a.ts': 'export const a = 1\nexport const b = 1\n',
    'src/real.ts': 'real\n',
    'src/auth/login.ts': 'login\n',
    'src/old.ts': '1\n2\n3\n4\n5\n',
    'src/image.bin': Buffer.from([0xff, 0xfe, 0x00, 0x41]),
    'src/.env': 'TOKEN=x\n',
    'package.json': '{}\n',
  })
  await symlink(join(outside, 'secret.txt'), join(root, 'src/out.ts'))
  await symlink(join(outside, 'dir'), join(root, 'src/ext'))
  await symlink('real.ts', join(root, 'src/alias.ts'))
  await symlink('src', join(root, 'lib'))
  await symlink('missing.ts', join(root, 'src/dangling.ts'))
  await symlink(join(outside, 'new.txt'), join(root, 'src/dangling-out.ts'))
  await symlink('out.ts', join(root, 'src/chain.ts'))
  await symlink('loop-b.ts', join(root, 'src/loop-a.ts'))
  await symlink('loop-a.ts', join(root, 'src/loop-b.ts'))
  return { root, outside }
}

function options(root: string, extra: Partial<CheckOptions> = {}): CheckOptions {
  return {
    root,
    allow: ['src/**', 'lib/**', 'docs/**'],
    deny: ['**/.env', 'src/generated/**'],
    guard: GUARD,
    ...extra,
  }
}

function changeset(...files: ChangeSet['files']): ChangeSet {
  return { intent: 'Change things', files }
}

describe('checkChangeSet', () => {
  it('passes a clean ChangeSet and counts the lines it deletes', async () => {
    const { root } = await project()
    const result = await checkChangeSet(
      changeset(
        { path: 'src/new/deep/b.ts', action: 'create', content: 'b\n' },
        { path: 'src/a.ts', action: 'modify', edits: [{ search: 'const a = 1', replace: 'const a = 2' }] },
        { path: 'src/old.ts', action: 'delete' },
        { path: 'src/real.ts', action: 'modify', content: 'new\n' },
      ),
      options(root),
    )
    expect(result).toEqual({ violations: [], approvals: [], deletedLines: 1 + 5 + 1 })
  })

  it.each([
    ['../x'],
    ['a/../../x'],
    ['/etc/passwd'],
    ['C:\\x.ts'],
    ['src\\a.ts'],
    ['./src/a.ts'],
    ['.'],
    [''],
  ])('refuses the path %j', async (path) => {
    const { root } = await project()
    const { violations } = await checkChangeSet(
      changeset({ path, action: 'create', content: 'x' }),
      options(root),
    )
    expect(violations).toEqual([
      expect.objectContaining({ rule_id: 'CS-PATH', severity: 'error', location: '/changeset/files/0/path' }),
    ])
  })

  it.each([['.git/hooks/pre-commit'], ['src/.GIT/config'], ['.macds/runs/x'], ['.Macds/locks/y']])(
    'refuses %j inside .git or .macds, whatever the permissions say',
    async (path) => {
      const { root } = await project()
      const result = await checkChangeSet(
        changeset({ path, action: 'create', content: 'x' }),
        options(root, { allow: ['**'] }),
      )
      expect(result.violations.map((v) => v.rule_id)).toEqual(['CS-RESERVED'])
    },
  )

  describe('symbolic links, all refused', () => {
    it.each([
      ['the file is a link out of the tree', 'src/out.ts', 'modify', /is a symbolic link that leads outside/],
      [
        'a parent is a link out of the tree',
        'src/ext/new.ts',
        'create',
        /passes through "src\/ext", which is a symbolic link that leads outside/,
      ],
      [
        'the file is a link inside the tree',
        'src/alias.ts',
        'modify',
        /is a symbolic link to another place in the work tree/,
      ],
      ['a parent is a link inside the tree', 'lib/a.ts', 'modify', /passes through "lib"/],
      ['a dangling link', 'src/dangling.ts', 'create', /whose target does not exist/],
      [
        'a dangling link that would create a file outside',
        'src/dangling-out.ts',
        'create',
        /whose target does not exist/,
      ],
      ['a chain of links leading out', 'src/chain.ts', 'modify', /leads outside/],
      ['a loop of links', 'src/loop-a.ts', 'modify', /loops/],
      ['deleting a link', 'src/alias.ts', 'delete', /is a symbolic link/],
      ['deleting a link out of the tree', 'src/out.ts', 'delete', /leads outside/],
    ] as const)('%s', async (_, path, action, message) => {
      const { root } = await project()
      const file = action === 'delete' ? { path, action } : { path, action, content: 'x\n' }
      const { violations } = await checkChangeSet(changeset(file), options(root))
      expect(violations).toHaveLength(1)
      expect(violations[0]).toMatchObject({ rule_id: 'CS-SYMLINK', location: '/changeset/files/0/path' })
      expect(violations[0]!.message).toMatch(message)
    })

    it('suggests the real path of a link inside the tree, but never for a delete', async () => {
      const { root } = await project()
      const { violations } = await checkChangeSet(
        changeset(
          { path: 'lib/a.ts', action: 'modify', content: 'x' },
          { path: 'src/alias.ts', action: 'modify', content: 'x' },
          { path: 'src/ext/inner.txt', action: 'modify', content: 'x' },
          { path: 'lib/real.ts', action: 'delete' },
        ),
        options(root),
      )
      expect(violations.map((v) => v.suggested_fix)).toEqual([
        'Use the real path "src/a.ts" instead.',
        'Use the real path "src/real.ts" instead.',
        expect.stringMatching(/^Leave "src\/ext\/inner.txt" out/),
        expect.stringMatching(/^Leave "lib\/real.ts" out/),
      ])
    })

    it('accepts a root given through a link', async () => {
      const { root } = await project()
      const via = join(await tempDir('macds-via-'), 'root')
      await symlink(await realpath(root), via)
      const { violations } = await checkChangeSet(
        changeset({ path: 'src/a.ts', action: 'modify', content: 'x' }),
        options(via),
      )
      expect(violations).toEqual([])
    })
  })

  it('holds an agent to its permissions, naming the glob, and never reads a denied file', async () => {
    const { root } = await project()
    const { violations } = await checkChangeSet(
      changeset(
        { path: 'package.json', action: 'modify', content: '{"x":1}' },
        { path: 'src/.env', action: 'modify', edits: [{ search: 'nothing like this', replace: '' }] },
        { path: 'src/config/.ENV', action: 'create', content: 'x' },
        { path: 'src/generated/api.ts', action: 'create', content: 'x' },
      ),
      options(root),
    )
    expect(violations.map((v) => [v.rule_id, v.location])).toEqual([
      ['CS-ACL', '/changeset/files/0/path'],
      ['CS-ACL', '/changeset/files/1/path'],
      ['CS-ACL', '/changeset/files/2/path'],
      ['CS-ACL', '/changeset/files/3/path'],
    ])
    expect(violations[0]!.message).toMatch(
      /none of this agent's allowed globs \("src\/\*\*", "lib\/\*\*", "docs\/\*\*"\)/,
    )
    expect(violations[1]!.message).toContain('the deny glob "**/.env"')
  })

  it('asks for approval of protected paths and large deletions, without violations', async () => {
    const { root } = await project()
    const files: ChangeSet['files'] = [
      { path: 'src/auth/login.ts', action: 'modify', content: 'login v2\n' },
      { path: 'src/old.ts', action: 'delete' },
      { path: 'src/a.ts', action: 'modify', content: 'export const a = 1\n' },
    ]
    const under = await checkChangeSet(
      changeset(...files),
      options(root, { guard: { ...GUARD, max_deleted_lines: 7 } }),
    )
    expect(under.violations).toEqual([])
    expect(under.deletedLines).toBe(7)
    expect(under.approvals).toEqual([
      'The ChangeSet changes "src/auth/login.ts", which matches the protected glob "src/auth/**".',
    ])
    const over = await checkChangeSet(
      changeset(...files),
      options(root, { guard: { ...GUARD, max_deleted_lines: 6 } }),
    )
    expect(over.approvals).toHaveLength(2)
    expect(over.approvals[1]).toBe(
      'The ChangeSet deletes 7 lines, more than the 6 allowed without approval (guard.max_deleted_lines).',
    )
  })

  it('refuses files larger than guard.max_file_bytes, also after edits', async () => {
    const { root } = await project()
    const { violations } = await checkChangeSet(
      changeset(
        { path: 'src/big.ts', action: 'create', content: 'x'.repeat(1001) },
        { path: 'src/fits.ts', action: 'create', content: 'x'.repeat(1000) },
        { path: 'src/a.ts', action: 'modify', edits: [{ search: 'const a = 1', replace: 'y'.repeat(1000) }] },
      ),
      options(root),
    )
    expect(violations.map((v) => [v.rule_id, v.location])).toEqual([
      ['CS-SIZE', '/changeset/files/0/content'],
      ['CS-SIZE', '/changeset/files/2/edits'],
    ])
    expect(violations[0]!.message).toContain('1001 bytes')
  })

  it('checks actions against what exists', async () => {
    const { root } = await project()
    const { violations } = await checkChangeSet(
      changeset(
        { path: 'src/a.ts', action: 'create', content: 'x' },
        { path: 'src/nope.ts', action: 'modify', content: 'x' },
        { path: 'src/nope2.ts', action: 'delete' },
        { path: 'src/auth', action: 'modify', content: 'x' },
        { path: 'src/real.ts/inner.ts', action: 'create', content: 'x' },
        { path: 'src/image.bin', action: 'modify', edits: [{ search: 'A', replace: 'B' }] },
      ),
      options(root),
    )
    expect(violations.map((v) => [v.rule_id, v.location])).toEqual([
      ['CS-EXISTS', '/changeset/files/0/action'],
      ['CS-MISSING', '/changeset/files/1/path'],
      ['CS-MISSING', '/changeset/files/2/path'],
      ['CS-NOT-FILE', '/changeset/files/3/path'],
      ['CS-NOT-FILE', '/changeset/files/4/path'],
      ['CS-NOT-TEXT', '/changeset/files/5/edits'],
    ])
    expect(violations[4]!.message).toContain('"src/real.ts" is a file')
  })

  it('reports edits that match zero or several times, with the count', async () => {
    const { root } = await project()
    const { violations } = await checkChangeSet(
      changeset({
        path: 'src/a.ts',
        action: 'modify',
        edits: [
          { search: ' = 1', replace: ' = 2' },
          { search: 'export const c', replace: '' },
          { search: 'export const b = 1', replace: 'export const b = 3' },
        ],
      }),
      options(root),
    )
    expect(violations).toMatchObject([
      { rule_id: 'CS-EDIT-AMBIGUOUS', location: '/changeset/files/0/edits/0/search' },
      { rule_id: 'CS-EDIT-NOMATCH', location: '/changeset/files/0/edits/1/search' },
    ])
    expect(violations[0]!.message).toContain('2 times')
  })

  it('refuses the same path twice and shapes that do not fit the action, at the given pointer', async () => {
    const { root } = await project()
    const { violations } = await checkChangeSet(
      changeset(
        { path: 'src/a.ts', action: 'modify', content: 'x' },
        { path: 'src/A.ts', action: 'modify', content: 'y', edits: [{ search: 'a', replace: 'b' }] },
      ),
      options(root, { pointer: '/output/changeset' }),
    )
    expect(violations.map((v) => [v.rule_id, v.location])).toEqual([
      ['CS-DUPLICATE', '/output/changeset/files/1/path'],
      ['CS-BODY', '/output/changeset/files/1'],
    ])
  })

  it('throws a clear error when the work tree is gone', async () => {
    const root = join(await tempDir(), 'gone')
    await expect(checkChangeSet(changeset(), options(root))).rejects.toMatchObject({
      code: 'WORKTREE_MISSING',
    })
  })
})
