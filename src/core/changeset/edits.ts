import type { EntryProblem, FileEdit } from './types.js'

/** Counting stops here: "matches 1000 times" says enough. */
const COUNT_LIMIT = 1000

/**
 * How often `search` occurs in `text`, overlapping occurrences included: in "aaa", "aa" occurs twice,
 * and either place could be the one meant.
 */
export function countMatches(text: string, search: string): number {
  if (search === '') return 0
  let count = 0
  for (let at = text.indexOf(search); at !== -1 && count < COUNT_LIMIT; at = text.indexOf(search, at + 1))
    count++
  return count
}

/** The text after the edits, and the problems of the edits that could not be applied. */
export interface EditsOutcome {
  text: string
  problems: EntryProblem[]
}

/**
 * Applies edits in order, each to the text the ones before it left. An edit whose search text is empty,
 * missing or found several times is a problem and is skipped; the rest still apply, so that one answer
 * reports every edit that needs fixing.
 */
export function applyEdits(path: string, original: string, edits: readonly FileEdit[]): EditsOutcome {
  let text = original
  const problems: EntryProblem[] = []
  edits.forEach((edit, index) => {
    const field = `/edits/${index}/search`
    const which = `Edit ${index + 1} of "${path}"`
    if (edit.search === '') {
      problems.push({
        rule: 'CS-EDIT-EMPTY',
        field,
        message: `${which} has an empty search text, which matches everywhere.`,
        fix: 'Copy the exact text to replace from the current file into "search"; to add text, search for the lines next to where it goes and repeat them in "replace".',
      })
      return
    }
    const matches = countMatches(text, edit.search)
    if (matches === 1) {
      const at = text.indexOf(edit.search)
      text = text.slice(0, at) + edit.replace + text.slice(at + edit.search.length)
      return
    }
    problems.push(
      matches === 0 ? noMatch(which, field, text, edit.search, index) : several(which, field, matches),
    )
  })
  return { text, problems }
}

function noMatch(which: string, field: string, text: string, search: string, index: number): EntryProblem {
  const crlf = text.includes('\r\n') && !search.includes('\r\n') && search.includes('\n')
  const after = index > 0 ? ' (after the edits before it were applied)' : ''
  return {
    rule: 'CS-EDIT-NOMATCH',
    field,
    message: `${which}: the search text matches the file 0 times${after}; it must match exactly once.`,
    fix: crlf
      ? 'The file uses CRLF line endings: copy the search text with "\\r\\n" line ends, or send the full new content instead of edits.'
      : 'Copy the search text exactly from the current file (spaces, indentation and line ends included); read the file again if it may have changed, or send the full new content instead of edits.',
  }
}

function several(which: string, field: string, matches: number): EntryProblem {
  const times = matches >= COUNT_LIMIT ? `at least ${COUNT_LIMIT} times` : `${matches} times`
  return {
    rule: 'CS-EDIT-AMBIGUOUS',
    field,
    message: `${which}: the search text matches the file ${times}; it must match exactly once.`,
    fix: 'Add neighbouring lines (a function signature, a unique comment) to the search text, and the same lines to the replacement, so that it matches only the intended place.',
  }
}
