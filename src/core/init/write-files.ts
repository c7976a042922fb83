import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** A file to write, by its path relative to the root. */
export interface FileToWrite {
  path: string
  content: string | Uint8Array
}

/**
 * Writes all the files or, as far as the file system allows, none. Every file is first written to a
 * temporary file beside its target; only when all of them are written are they renamed into place. A
 * failure while writing removes the temporary files and the directories made for them.
 */
export async function writeFilesTogether(root: string, files: readonly FileToWrite[]): Promise<void> {
  const staged: { temp: string; target: string }[] = []
  const madeDirs: string[] = []
  try {
    for (const file of files) {
      const target = join(root, file.path)
      const made = await mkdir(dirname(target), { recursive: true })
      if (made) madeDirs.push(made)
      const temp = join(dirname(target), `.${basename(target)}.macds-init-${process.pid}.tmp`)
      staged.push({ temp, target })
      await writeFile(temp, file.content)
    }
  } catch (error) {
    await discard(staged.map((s) => s.temp))
    await discard(madeDirs.reverse())
    throw error
  }
  for (const [index, { temp, target }] of staged.entries()) {
    try {
      await rename(temp, target)
    } catch (error) {
      await discard(staged.slice(index).map((s) => s.temp))
      throw error
    }
  }
}

async function discard(paths: readonly string[]): Promise<void> {
  for (const path of paths) await rm(path, { recursive: true, force: true })
}
