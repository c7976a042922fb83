import { MacdsError } from '../errors.js'
import { formatIssue } from './format.js'
import type { FileIssue } from './types.js'

/** Issues of one file, with its text for code frames when it could be read. */
export interface FileIssues {
  issues: FileIssue[]
  text: string | undefined
}

/**
 * A user error listing every issue of the files macds could not accept, each at file:line:col
 * with a code frame, so that the whole problem is fixed in one pass.
 */
export function invalidFilesError(code: string, what: string, files: FileIssues[], hint: string): MacdsError {
  const issues = files.flatMap((f) => f.issues.map((issue) => formatIssue(issue, f.text)))
  const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`
  return new MacdsError(code, `${what} (${count}):\n\n${issues.join('\n\n')}\n`, { kind: 'user', hint })
}
