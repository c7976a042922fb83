import { readdir, readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { userError } from '../errors.js'
import { type CompileResult, compileContract } from './compile.js'

/** Contract files are `<name>.yaml` (or `.yml`) directly inside the contracts directory. */
export function isContractFile(path: string): boolean {
  const ext = extname(path)
  return (ext === '.yaml' || ext === '.yml') && !basename(path).startsWith('.')
}

/** The contract name a file stands for: its name without the extension. */
export function contractNameOf(path: string): string {
  return basename(path, extname(path))
}

/** Reads and compiles one contract file; the text is returned too, for code frames. A read failure is an issue. */
export async function readContractFile(
  file: string,
): Promise<{ text: string | undefined; result: CompileResult }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    const issue = {
      file,
      line: 1,
      col: 1,
      code: 'READ_FAILED' as const,
      message: `cannot read the file (${reason})`,
    }
    return { text: undefined, result: { ok: false, issues: [issue] } }
  }
  return { text, result: compileContract(text, file) }
}

/** Reads and compiles one contract file. */
export async function loadContractFile(file: string): Promise<CompileResult> {
  return (await readContractFile(file)).result
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
