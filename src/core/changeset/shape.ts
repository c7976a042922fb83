import { pathProblem } from './path-rules.js'
import type { ChangeSetFile, EntryProblem } from './types.js'

/**
 * Problems an entry shows on its own, without the file system: its path, then whether `content` and
 * `edits` fit its action. A bad path is the only problem reported, since nothing else about the entry
 * can be judged.
 */
export function shapeProblems(file: ChangeSetFile): EntryProblem[] {
  const path = pathProblem(file.path)
  return path ? [path] : bodyProblems(file)
}

function bodyProblems(file: ChangeSetFile): EntryProblem[] {
  const { path, action } = file
  const content = file.content !== undefined
  const edits = file.edits !== undefined
  const body = (field: string, message: string, fix: string): EntryProblem[] => [
    { rule: 'CS-BODY', field, message, fix },
  ]
  switch (action) {
    case 'create':
      if (edits)
        return body(
          '/edits',
          `"${path}" is created with edits, but edits apply only to existing files.`,
          'Put the whole text of the new file in "content" and remove "edits".',
        )
      if (!content)
        return body(
          '',
          `"${path}" is created without content.`,
          'Add "content" with the full text of the new file.',
        )
      return []
    case 'modify':
      if (content && edits)
        return body(
          '',
          `"${path}" has both "content" and "edits".`,
          'Keep one of them: "content" with the full new text, or "edits" with search/replace pairs.',
        )
      if (!content && !edits)
        return body(
          '',
          `"${path}" is modified with neither "content" nor "edits".`,
          'Add "content" with the full new text, or "edits" with search/replace pairs; or leave the file out.',
        )
      if (file.edits?.length === 0)
        return body(
          '/edits',
          `"${path}" has an empty list of edits.`,
          'Add at least one search/replace pair, or leave the file out.',
        )
      return []
    case 'delete':
      if (content || edits)
        return body(
          '',
          `"${path}" is deleted but also carries "content" or "edits".`,
          'Remove "content" and "edits" from the delete, or use action "modify" to change the file.',
        )
      return []
    default:
      return body(
        '/action',
        `"${path}" has the unknown action "${String(action)}".`,
        'Use "create", "modify" or "delete".',
      )
  }
}
