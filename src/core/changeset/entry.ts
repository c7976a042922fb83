import { applyEdits } from './edits.js'
import { type FileSnapshot, inspectPath, type PathState, readSnapshot, utf8Text } from './disk.js'
import type { ChangeSetFile, EntryProblem } from './types.js'

/** What applying one entry does, once the work tree has been seen to allow it. */
export type EntryPlan =
  | { action: 'write'; path: string; content: string; before: FileSnapshot | undefined }
  | { action: 'delete'; path: string; before: FileSnapshot }

/**
 * Looks at the work tree for an entry whose shape is fine, without following symbolic links, and
 * works out what applying it writes: the new text (edits applied) and the file it replaces.
 */
export async function examineOnDisk(
  realRoot: string,
  file: ChangeSetFile,
): Promise<{ problems: EntryProblem[]; plan?: EntryPlan }> {
  const { path } = file
  const state = await inspectPath(realRoot, path)
  if (state.kind !== 'file' && state.kind !== 'missing') return { problems: [stateProblem(file, state)] }
  if (state.kind === 'missing') {
    if (file.action === 'create')
      return { problems: [], plan: { action: 'write', path, content: file.content!, before: undefined } }
    return { problems: [missing(path, file.action)] }
  }
  if (file.action === 'create')
    return {
      problems: [
        {
          rule: 'CS-EXISTS',
          field: '/action',
          message: `"${path}" is created, but it exists already.`,
          fix: 'Use action "modify" with the full new content or with edits, or choose a path that is free.',
        },
      ],
    }
  const before = await readSnapshot(realRoot, path, state.stats)
  if (!before)
    return {
      problems: [
        notFile(path, 'changed while it was being read; the work tree is being changed by something else'),
      ],
    }
  if (file.action === 'delete') return { problems: [], plan: { action: 'delete', path, before } }
  if (file.content !== undefined)
    return { problems: [], plan: { action: 'write', path, content: file.content, before } }
  const text = utf8Text(before.bytes)
  if (text === undefined)
    return {
      problems: [
        {
          rule: 'CS-NOT-TEXT',
          field: '/edits',
          message: `"${path}" is not UTF-8 text, so edits cannot be applied to it.`,
          fix: 'Leave the file out; binary files are not changed through ChangeSets.',
        },
      ],
    }
  const edited = applyEdits(path, text, file.edits ?? [])
  if (edited.problems.length > 0) return { problems: edited.problems }
  return { problems: [], plan: { action: 'write', path, content: edited.text, before } }
}

function stateProblem(
  { path, action }: ChangeSetFile,
  state: Exclude<PathState, { kind: 'file' | 'missing' }>,
): EntryProblem {
  switch (state.kind) {
    case 'symlink':
      return symlinkProblem(path, action, state)
    case 'blocked':
      return notFile(path, `cannot exist: "${state.at}" is a file, not a directory`)
    case 'directory':
      return notFile(path, 'is a directory; ChangeSets change files')
    case 'special':
      return notFile(path, 'is not a regular file (a device, socket or pipe)')
  }
}

function symlinkProblem(
  path: string,
  action: string,
  state: Extract<PathState, { kind: 'symlink' }>,
): EntryProblem {
  const { at, target } = state
  const subject = at === path ? `"${path}" is` : `"${path}" passes through "${at}", which is`
  const where = {
    outside: 'that leads outside the work tree',
    inside: 'to another place in the work tree',
    dangling: 'whose target does not exist',
    loop: 'that loops',
  }[target.leads]
  const real = target.leads === 'inside' ? `${target.real}${path.slice(at.length)}` : undefined
  return {
    rule: 'CS-SYMLINK',
    field: '/path',
    message: `${subject} a symbolic link ${where}; macds never writes, replaces or deletes through symbolic links.`,
    fix:
      real !== undefined && action !== 'delete'
        ? `Use the real path "${real}" instead.`
        : `Leave "${path}" out of the ChangeSet; symbolic links are changed by a person, not by an agent.`,
  }
}

function missing(path: string, action: string): EntryProblem {
  return {
    rule: 'CS-MISSING',
    field: '/path',
    message: `"${path}" is to be ${action === 'delete' ? 'deleted' : 'modified'}, but it does not exist.`,
    fix:
      action === 'delete'
        ? 'Leave the entry out, or correct the path (list the files to find it).'
        : 'Use action "create" with the full content for a new file, or correct the path (list the files to find it).',
  }
}

function notFile(path: string, why: string): EntryProblem {
  return {
    rule: 'CS-NOT-FILE',
    field: '/path',
    message: `"${path}" ${why}.`,
    fix: 'Name a regular file inside the work tree, or leave the entry out.',
  }
}
