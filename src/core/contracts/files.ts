import { readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { userError } from '../errors.js'

/** Contract files are `<name>.yaml` (or `.yml`) directly inside the contracts directory. */
export function isContractFile(path: string): boolean {
  const ext = extname(path)
  return (ext === '.yaml' || ext === '.yml') && !basename(path).startsWith('.')
}

/** The contract name a file stands for: its name without the extension. */
export function contractNameOf(path: string): string {
  return basename(path, extname(path))
}

/** The contract files of a directory, sorted by name; a clear user error when the directory is missing. */
export async function listContractFiles(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw userError(
        'CONTRACTS_DIR_MISSING',
        `no contracts directory at ${dir}`,
        'Run `macds init` to create the default contracts, or pass the directory that holds them.',
      )
    }
    throw userError(
      'CONTRACTS_DIR_UNREADABLE',
      `cannot read ${dir}: ${(error as Error).message}`,
      undefined,
      error,
    )
  }
  return names
    .filter(isContractFile)
    .sort()
    .map((name) => join(dir, name))
}
