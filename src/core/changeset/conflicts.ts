import { pathProblem } from './path-rules.js'
import type { ChangeSetFile, EntryProblem } from './types.js'

/**
 * Entries that clash with an earlier one: the same path again, also when only letter case or Unicode
 * form differ (one file on macOS and Windows), or a path under another entry's path (a file and a
 * directory at once). Entries with a bad path are left to `pathProblem`.
 */
export function conflictProblems(
  files: readonly ChangeSetFile[],
): { index: number; problem: EntryProblem }[] {
  const first = new Map<string, number>()
  const found: { index: number; problem: EntryProblem }[] = []
  const valid = files.flatMap((file, index) => (pathProblem(file.path) ? [] : [{ file, index }]))
  for (const { file, index } of valid) {
    const key = fold(file.path)
    const earlier = first.get(key)
    if (earlier === undefined) first.set(key, index)
    else found.push({ index, problem: duplicate(file.path, files[earlier]!.path, earlier) })
  }
  for (const { file, index } of valid) {
    const segments = fold(file.path).split('/')
    for (let n = 1; n < segments.length; n++) {
      const outer = first.get(segments.slice(0, n).join('/'))
      if (outer === undefined) continue
      found.push({ index, problem: nested(file.path, files[outer]!.path) })
      break
    }
  }
  return found.sort((a, b) => a.index - b.index)
}

function fold(path: string): string {
  return path.normalize('NFC').toLowerCase()
}

function duplicate(path: string, earlier: string, index: number): EntryProblem {
  const variant =
    earlier === path
      ? ''
      : ` as "${earlier}" (paths that differ only in letter case or Unicode form name one file on macOS and Windows)`
  return {
    rule: 'CS-DUPLICATE',
    field: '/path',
    message: `"${path}" appears more than once in the ChangeSet; it is already files/${index}${variant}.`,
    fix: 'Give each file once: merge the entries into one, with the full new content or with all its edits in order.',
  }
}

function nested(path: string, outer: string): EntryProblem {
  return {
    rule: 'CS-NESTED',
    field: '/path',
    message: `"${path}" lies under "${outer}", which the ChangeSet also names as a file; a path cannot be a file and a directory at once.`,
    fix: `Keep only one of "${outer}" and "${path}", or move one of them to another path.`,
  }
}
