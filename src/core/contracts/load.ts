import { readFile } from 'node:fs/promises'
import { type CompileResult, compileContract } from './compile.js'

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
