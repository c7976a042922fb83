import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { DETECTION_FILES, type RepoFiles } from './detect.js'

/** Manifests whose text detection reads; of the other files only their presence matters. */
const READ_TEXT = new Set(['package.json', 'pyproject.toml'])

/** Manifests larger than this are not read (their presence still counts). */
const MAX_TEXT_BYTES = 1_000_000

/** Reads the top-level files detection looks at from a repository root. */
export async function readRepoFiles(root: string): Promise<RepoFiles> {
  const entries = await Promise.all(
    DETECTION_FILES.map(async (name): Promise<[string, string] | undefined> => {
      const isDir = name.endsWith('/')
      const info = await stat(join(root, name)).catch(() => undefined)
      if (!info || info.isDirectory() !== isDir) return undefined
      if (!READ_TEXT.has(name) || info.size > MAX_TEXT_BYTES) return [name, '']
      return [name, await readFile(join(root, name), 'utf8')]
    }),
  )
  return new Map(entries.filter((e) => e !== undefined))
}
