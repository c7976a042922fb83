import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyChangeSet } from '../../src/core/changeset/index.js'
import { MacdsError } from '../../src/core/errors.js'
import type { ChangeSet } from '../../src/core/run/workspace.js'
import { tempDir } from '../helpers/temp.js'

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), content)
  }
}

/** Every entry under `dir`, links not followed: files with mode and content, directories, link targets. */
async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const found: Record<string, string> = {}
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const path = prefix === '' ? name : `${prefix}/${name}`
    const full = join(dir, path)
    const stats = await lstat(full)
    if (stats.isSymbolicLink()) found[path] = `link -> ${await readlink(full)}`
    else if (stats.isDirectory()) Object.assign(found, { [path]: 'dir' }, await tree(dir, path))
    else found[path] = `${(stats.mode & 0o777).toString(8)} ${await readFile(full, 'utf8')}`
  }
  return found
}

async function project(): Promise<{ root: string; outside: string }> {
  const outside = await tempDir('macds-outside-')
  await write(outside, { 'secret.txt': 'secret\n' })
  const root = await tempDir('macds-apply-')
  await write(root, {
    'src/a.ts': 'export const a = 1\nexport const b = 1\n',
    'src/old.ts': '1\n2\n3\n',
    'bin/run.sh': '#!/bin/sh\necho run\n',
  })
  await chmod(join(root, 'bin/run.sh'), 0o755)
  return { root, outside }
}

function changeset(...files: ChangeSet['files']): ChangeSet {
  return { intent: 'Change things', files }
}

async function failure(promise: Promise<unknown>): Promise<MacdsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MacdsError)
  return error as MacdsError
}

describe('applyChangeSet', () => {
  it('creates, modifies, edits and deletes files', async () => {
    const { root } = await project()
    const result = await applyChangeSet(
      root,
      changeset(
        { path: 'src/new/deep/b.ts', action: 'create', content: 'b\n' },
        { path: 'src/a.ts', action: 'modify', edits: [{ search: 'const a = 1', replace: 'const a = 2' }] },
        { path: 'bin/run.sh', action: 'modify', content: '#!/bin/sh\necho ran\n' },
        { path: 'src/old.ts', action: 'delete' },
      ),
    )
    expect(result).toEqual({
      written: ['src/new/deep/b.ts', 'src/a.ts', 'bin/run.sh'],
      deleted: ['src/old.ts'],
      deletedLines: 1 + 1 + 3,
    })
    expect(await tree(root)).toEqual({
      bin: 'dir',
      'bin/run.sh': '755 #!/bin/sh\necho ran\n',
      src: 'dir',
      'src/a.ts': '644 export const a = 2\nexport const b = 1\n',
      'src/new': 'dir',
      'src/new/deep': 'dir',
      'src/new/deep/b.ts': '644 b\n',
    })
  })

  it('refuses, before writing anything, a ChangeSet the tree no longer allows', async () => {
    const { root } = await project()
    const before = await tree(root)
    await writeFile(join(root, 'src/a.ts'), 'export const a = 1\nexport const a = 1\n')
    const edited = await tree(root)
    const error = await failure(
      applyChangeSet(
        root,
        changeset(
          { path: 'src/new/b.ts', action: 'create', content: 'b\n' },
          { path: 'src/a.ts', action: 'modify', edits: [{ search: 'const a = 1', replace: 'const a = 2' }] },
          { path: 'src/gone.ts', action: 'delete' },
          { path: '../escape.ts', action: 'create', content: 'x' },
        ),
      ),
    )
    expect(error).toMatchObject({ code: 'CHANGESET_REFUSED', kind: 'user' })
    expect(error.message).toContain('files/1: Edit 1 of "src/a.ts": the search text matches the file 2 times')
    expect(error.message).toContain('files/2: "src/gone.ts" is to be deleted, but it does not exist.')
    expect(error.message).toContain('files/3: "../escape.ts" contains a ".." segment')
    expect(await tree(root)).toEqual(edited)
    expect(before).not.toEqual(edited)
  })

  it.each<[string, string, (root: string, outside: string) => Promise<void>]>([
    [
      'the file is a link out of the tree',
      'src/link.ts',
      (r, o) => symlink(join(o, 'secret.txt'), join(r, 'src/link.ts')),
    ],
    ['a parent is a link out of the tree', 'src/dir/secret.txt', (r, o) => symlink(o, join(r, 'src/dir'))],
    ['the file is a link inside the tree', 'src/link.ts', (r) => symlink('a.ts', join(r, 'src/link.ts'))],
    [
      'the file is a dangling link',
      'src/link.ts',
      (r, o) => symlink(join(o, 'new.txt'), join(r, 'src/link.ts')),
    ],
    [
      'the file is a chain of links out of the tree',
      'src/link.ts',
      async (r, o) => {
        await symlink(join(o, 'secret.txt'), join(r, 'src/hop.ts'))
        await symlink('hop.ts', join(r, 'src/link.ts'))
      },
    ],
  ])('never writes through a link: %s', async (_, path, setup) => {
    const { root, outside } = await project()
    await setup(root, outside)
    const before = { root: await tree(root), outside: await tree(outside) }
    for (const file of [
      { path, action: 'modify' as const, content: 'owned\n' },
      { path, action: 'create' as const, content: 'owned\n' },
      { path, action: 'delete' as const },
    ]) {
      const error = await failure(applyChangeSet(root, changeset(file)))
      expect(error.code).toBe('CHANGESET_REFUSED')
      expect(error.message).toContain('symbolic link')
    }
    expect({ root: await tree(root), outside: await tree(outside) }).toEqual(before)
  })

  it('undoes every change when the tree changes under it, leaving the tree as it was', async () => {
    const { root, outside } = await project()
    await mkdir(join(root, 'lib'))
    const before = { root: await tree(root), outside: await tree(outside) }
    const error = await failure(
      applyChangeSet(
        root,
        changeset(
          { path: 'src/new/b.ts', action: 'create', content: 'b\n' },
          { path: 'src/a.ts', action: 'modify', content: 'a\n' },
          { path: 'src/old.ts', action: 'delete' },
          { path: 'lib/c.ts', action: 'create', content: 'c\n' },
        ),
        {
          onFile: async (path) => {
            if (path !== 'lib/c.ts') return
            // Swapped in after the check: the directory becomes a link out of the tree.
            await rename(join(root, 'lib'), join(root, 'lib-moved'))
            await symlink(outside, join(root, 'lib'))
          },
        },
      ),
    )
    expect(error).toMatchObject({ code: 'CHANGESET_APPLY_FAILED', kind: 'external' })
    expect(error.message).toContain('"lib" is no longer a directory')
    expect(error.message).toContain('Every change it had made was undone.')
    expect(await tree(outside)).toEqual(before.outside)
    const after = await tree(root)
    expect(after['lib']).toBe(`link -> ${outside}`)
    delete after['lib']
    delete after['lib-moved']
    delete before.root['lib']
    expect(after).toEqual(before.root)
  })

  it('undoes earlier files when a file to delete was changed after the check', async () => {
    const { root } = await project()
    const edits = [{ search: 'const b = 1', replace: 'const b = 2' }]
    let changed = ''
    const error = await failure(
      applyChangeSet(
        root,
        changeset(
          { path: 'src/a.ts', action: 'modify', edits },
          { path: 'bin/run.sh', action: 'modify', content: 'x\n' },
          { path: 'src/old.ts', action: 'delete' },
        ),
        {
          onFile: async (path) => {
            if (path !== 'src/old.ts') return
            await writeFile(join(root, 'src/old.ts'), '1\n2\n3\n4\n')
            changed = JSON.stringify(await tree(root))
          },
        },
      ),
    )
    expect(error.code).toBe('CHANGESET_APPLY_FAILED')
    expect(error.message).toContain('"src/old.ts" was changed after the ChangeSet was checked.')
    expect(await tree(root)).toEqual({
      bin: 'dir',
      'bin/run.sh': '755 #!/bin/sh\necho run\n',
      src: 'dir',
      'src/a.ts': '644 export const a = 1\nexport const b = 1\n',
      'src/old.ts': '644 1\n2\n3\n4\n',
    })
    expect(changed).toContain('const b = 2')
    expect((await stat(join(root, 'bin/run.sh'))).mode & 0o777).toBe(0o755)
  })

  it('does not overwrite a file that appeared after the check', async () => {
    const { root } = await project()
    const error = await failure(
      applyChangeSet(root, changeset({ path: 'src/b.ts', action: 'create', content: 'mine\n' }), {
        onFile: () => writeFile(join(root, 'src/b.ts'), 'theirs\n'),
      }),
    )
    expect(error.message).toContain('"src/b.ts" appeared after the ChangeSet was checked.')
    expect(await readFile(join(root, 'src/b.ts'), 'utf8')).toBe('theirs\n')
    expect((await readdir(join(root, 'src'))).sort()).toEqual(['a.ts', 'b.ts', 'old.ts'])
  })
})
