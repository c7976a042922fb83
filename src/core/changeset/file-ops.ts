import { randomUUID } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, rename, rm, rmdir, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { MacdsError } from '../errors.js'
import { errno, type FileSnapshot, sameFile } from './disk.js'
import type { EntryPlan } from './entry.js'

/** How to undo one change: remove a directory that was made, or put a file back as it was. */
export type Undo =
  { kind: 'dir'; path: string } | { kind: 'file'; path: string; before: FileSnapshot | undefined }

/**
 * Writes a planned file atomically: parents are made one by one (never through a link), the bytes go
 * to a temporary file in the same directory, and it is renamed over the target only after the
 * parents and the target are seen to be what the plan was made from. What is needed to undo it is
 * pushed on `undo` as soon as it happened.
 */
export async function writeEntry(
  realRoot: string,
  plan: Extract<EntryPlan, { action: 'write' }>,
  undo: Undo[],
): Promise<void> {
  const parents = plan.path.split('/').slice(0, -1)
  await makeParents(realRoot, parents, undo)
  await replaceFile(realRoot, plan.path, Buffer.from(plan.content, 'utf8'), plan.before?.mode, async () => {
    await assertParents(realRoot, parents)
    await assertUnchanged(realRoot, plan.path, plan.before)
  })
  undo.push({ kind: 'file', path: plan.path, before: plan.before })
}

/** Deletes a planned file after seeing that it is still the file the plan read. */
export async function deleteEntry(
  realRoot: string,
  plan: Extract<EntryPlan, { action: 'delete' }>,
  undo: Undo[],
): Promise<void> {
  await assertParents(realRoot, plan.path.split('/').slice(0, -1))
  await assertUnchanged(realRoot, plan.path, plan.before)
  await unlink(join(realRoot, plan.path))
  undo.push({ kind: 'file', path: plan.path, before: plan.before })
}

/**
 * Undoes changes, latest first. Returns the paths that could not be put back, with the first error;
 * a directory that is no longer empty is left in place, since something else put files in it.
 */
export async function undoAll(
  realRoot: string,
  undo: Undo[],
): Promise<{ failed: string[]; error?: unknown }> {
  const failed: string[] = []
  let first: unknown
  for (const step of [...undo].reverse()) {
    try {
      if (step.kind === 'dir') await removeDir(join(realRoot, step.path))
      else await restoreFile(realRoot, step.path, step.before)
    } catch (error) {
      failed.push(step.path)
      first ??= error
    }
  }
  return first === undefined ? { failed } : { failed, error: first }
}

async function restoreFile(realRoot: string, path: string, before: FileSnapshot | undefined): Promise<void> {
  await assertParents(realRoot, path.split('/').slice(0, -1))
  const target = join(realRoot, path)
  if (before) return replaceFile(realRoot, path, before.bytes, before.mode, async () => {})
  const stats = await lstat(target).catch((error: unknown) => {
    if (errno(error) === 'ENOENT') return undefined
    throw error
  })
  if (stats?.isFile()) await unlink(target)
}

async function removeDir(dir: string): Promise<void> {
  try {
    await rmdir(dir)
  } catch (error) {
    if (errno(error) !== 'ENOENT' && errno(error) !== 'ENOTEMPTY') throw error
  }
}

async function replaceFile(
  realRoot: string,
  path: string,
  bytes: Buffer,
  mode: number | undefined,
  verify: () => Promise<void>,
): Promise<void> {
  const target = join(realRoot, path)
  const temp = join(dirname(target), `.macds-${randomUUID()}.tmp`)
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  try {
    const handle = await open(temp, flags, 0o666)
    try {
      if (mode !== undefined) await handle.chmod(mode)
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await verify()
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

async function makeParents(realRoot: string, parents: string[], undo: Undo[]): Promise<void> {
  for (let i = 1; i <= parents.length; i++) {
    const path = parents.slice(0, i).join('/')
    try {
      await mkdir(join(realRoot, path))
      undo.push({ kind: 'dir', path })
    } catch (error) {
      if (errno(error) !== 'EEXIST') throw error
      const stats = await lstat(join(realRoot, path))
      if (stats.isSymbolicLink() || !stats.isDirectory())
        throw changed(path, 'is no longer a directory (a symbolic link or a file took its place)')
    }
  }
}

/** Fails unless every parent is a real directory, not a symbolic link. */
async function assertParents(realRoot: string, parents: string[]): Promise<void> {
  for (let i = 1; i <= parents.length; i++) {
    const path = parents.slice(0, i).join('/')
    const stats = await lstat(join(realRoot, path))
    if (stats.isSymbolicLink() || !stats.isDirectory())
      throw changed(path, 'is no longer a directory (a symbolic link or a file took its place)')
  }
}

/** Fails unless `path` is still absent (`before` undefined) or still the regular file `before` describes. */
async function assertUnchanged(
  realRoot: string,
  path: string,
  before: FileSnapshot | undefined,
): Promise<void> {
  let stats
  try {
    stats = await lstat(join(realRoot, path))
  } catch (error) {
    if (errno(error) === 'ENOENT' && before === undefined) return
    if (errno(error) === 'ENOENT') throw changed(path, 'was removed')
    throw error
  }
  if (before === undefined) throw changed(path, 'appeared')
  if (stats.isSymbolicLink()) throw changed(path, 'was replaced by a symbolic link')
  if (!stats.isFile() || !sameFile(stats, before)) throw changed(path, 'was changed')
}

function changed(path: string, what: string): MacdsError {
  return new MacdsError('CHANGESET_TREE_CHANGED', `"${path}" ${what} after the ChangeSet was checked.`, {
    kind: 'external',
  })
}
