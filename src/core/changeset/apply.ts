import { MacdsError } from '../errors.js'
import type { ChangeSet } from '../run/workspace.js'
import { conflictProblems } from './conflicts.js'
import { realRootOf } from './disk.js'
import { type EntryPlan, examineOnDisk } from './entry.js'
import { shapeProblems } from './shape.js'
import { deleteEntry, undoAll, type Undo, writeEntry } from './file-ops.js'
import { deletedByChange } from './lines.js'

/** What applying a ChangeSet did. */
export interface ApplyResult {
  /** Files created or modified, work-tree-relative, in ChangeSet order. */
  written: string[]
  /** Files deleted. */
  deleted: string[]
  /** Lines removed from modified files plus all lines of deleted files. */
  deletedLines: number
}

export interface ApplyOptions {
  /** Called before each file is changed, in ChangeSet order; for progress reports. */
  onFile?: (path: string) => void | Promise<void>
}

/**
 * Applies a ChangeSet (checked with `checkChangeSet`) to the work tree at `root`. Everything is
 * checked again first against the tree as it is now: paths, symbolic links (none is written to,
 * through or deleted), existence, and edits, which must each match exactly once; any problem throws
 * `CHANGESET_REFUSED` before anything is written. Each file is then replaced atomically (a temporary
 * file renamed in the same directory) after seeing that it and its parents are still what was
 * checked. When a file fails, every change already made is undone, so that the tree is left as it
 * was, and `CHANGESET_APPLY_FAILED` is thrown (`CHANGESET_ROLLBACK_FAILED` if undoing failed too).
 * Permissions and `guard:` limits are not checked again: they do not depend on the tree.
 */
export async function applyChangeSet(
  root: string,
  changeset: ChangeSet,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const realRoot = await realRootOf(root)
  const plans = await planAll(realRoot, changeset)
  const undo: Undo[] = []
  try {
    for (const plan of plans) {
      await options.onFile?.(plan.path)
      if (plan.action === 'write') await writeEntry(realRoot, plan, undo)
      else await deleteEntry(realRoot, plan, undo)
    }
  } catch (error) {
    throw await rollBack(realRoot, undo, error)
  }
  return {
    written: plans.flatMap((p) => (p.action === 'write' ? [p.path] : [])),
    deleted: plans.flatMap((p) => (p.action === 'delete' ? [p.path] : [])),
    deletedLines: plans.reduce(
      (sum, p) => sum + deletedByChange(p.before?.bytes, p.action === 'write' ? p.content : undefined),
      0,
    ),
  }
}

async function planAll(realRoot: string, changeset: ChangeSet): Promise<EntryPlan[]> {
  const problems = conflictProblems(changeset.files).map(
    ({ index, problem }) => `files/${index}: ${problem.message}`,
  )
  const plans: EntryPlan[] = []
  for (const [index, file] of changeset.files.entries()) {
    const shape = shapeProblems(file)
    const { problems: found, plan } =
      shape.length > 0 ? { problems: shape } : await examineOnDisk(realRoot, file)
    problems.push(...found.map((p) => `files/${index}: ${p.message}`))
    if (plan) plans.push(plan)
  }
  if (problems.length === 0) return plans
  throw new MacdsError(
    'CHANGESET_REFUSED',
    `The ChangeSet cannot be applied to the work tree as it is now:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    {
      kind: 'user',
      hint: 'Nothing was changed. Check the ChangeSet against the current work tree and return its problems to the agent.',
    },
  )
}

async function rollBack(realRoot: string, undo: Undo[], error: unknown): Promise<MacdsError> {
  const reason = error instanceof Error ? error.message : String(error)
  const undone = await undoAll(realRoot, undo)
  if (undone.failed.length > 0)
    return new MacdsError(
      'CHANGESET_ROLLBACK_FAILED',
      `Applying the ChangeSet failed (${reason}) and these paths could not be restored: ${undone.failed.join(', ')}.`,
      {
        kind: 'external',
        hint: 'Inspect those paths in the work tree and restore them from git (git checkout -- <path>) before running again.',
        cause: undone.error,
      },
    )
  return new MacdsError(
    'CHANGESET_APPLY_FAILED',
    `Applying the ChangeSet failed: ${sentence(reason)} Every change it had made was undone.`,
    {
      kind: 'external',
      hint: 'Run again; if it keeps failing, check the work tree and the disk.',
      cause: error,
    },
  )
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}
