import { readFile } from 'node:fs/promises'
import { userError } from '../errors.js'
import { sourceMapOf } from './positions.js'

/** Reads a JSON or YAML value from a file; a syntax error is a user error with line and column. */
export async function readValueFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw userError(
      'VALUE_FILE_UNREADABLE',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      'Check the path.',
      error,
    )
  }
  const { doc, lines } = sourceMapOf(text)
  const [first] = doc.errors
  if (first) {
    const { line, col } = lines.linePos(first.pos[0])
    throw userError(
      'VALUE_FILE_SYNTAX',
      `${file}:${line}:${col}  ${first.message.split('\n')[0]}`,
      'The file must hold one JSON or YAML value.',
    )
  }
  return doc.toJS()
}
