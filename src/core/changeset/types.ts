import type { Violation } from '../contracts/types.js'
import type { ChangeSet } from '../run/workspace.js'

/** One entry of a ChangeSet's `files`. */
export type ChangeSetFile = ChangeSet['files'][number]

/** One search/replace pair of a modified file. */
export type FileEdit = NonNullable<ChangeSetFile['edits']>[number]

/**
 * Rule ids of the violations a ChangeSet can have. They are stable: repair prompts, the event log and
 * the supervisor show them.
 */
export type ChangeSetRule =
  /** The path is not a plain relative path: absolute, `..`, empty, `.`, backslash, control character. */
  | 'CS-PATH'
  /** The path lies inside `.git` or `.macds` (in any letter case or spelling a file system folds). */
  | 'CS-RESERVED'
  /** The path is, or passes through, a symbolic link. */
  | 'CS-SYMLINK'
  /** The path is a directory or a special file, or one of its parents is a file. */
  | 'CS-NOT-FILE'
  /** The agent's permissions do not cover the path. */
  | 'CS-ACL'
  /** The file would be larger than `guard.max_file_bytes`. */
  | 'CS-SIZE'
  /** A created file exists already. */
  | 'CS-EXISTS'
  /** A modified or deleted file does not exist. */
  | 'CS-MISSING'
  /** `content` and `edits` do not fit the action. */
  | 'CS-BODY'
  /** An edit's search text is empty. */
  | 'CS-EDIT-EMPTY'
  /** An edit's search text does not occur in the file. */
  | 'CS-EDIT-NOMATCH'
  /** An edit's search text occurs more than once. */
  | 'CS-EDIT-AMBIGUOUS'
  /** Edits were given for a file that is not UTF-8 text. */
  | 'CS-NOT-TEXT'
  /** The same path appears twice (also when only letter case or Unicode form differ). */
  | 'CS-DUPLICATE'
  /** A path lies under another entry's path, which would have to be a file and a directory at once. */
  | 'CS-NESTED'

/**
 * A problem of one ChangeSet entry. `field` is the JSON pointer below the entry (`/path`,
 * `/edits/1/search`, or '' for the entry as a whole).
 */
export interface EntryProblem {
  rule: ChangeSetRule
  field: string
  message: string
  fix: string
}

/** The violation for a problem of the entry at JSON pointer `entry`. */
export function toViolation(problem: EntryProblem, entry: string): Violation {
  return {
    rule_id: problem.rule,
    severity: 'error',
    message: problem.message,
    location: `${entry}${problem.field}`,
    suggested_fix: problem.fix,
  }
}
