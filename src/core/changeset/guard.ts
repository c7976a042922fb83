import type { GuardConfig } from '../config/workspace-types.js'
import type { Violation } from '../contracts/types.js'
import type { ChangeSet } from '../run/workspace.js'
import { aclCheck, protectedGlob, type WritePolicy } from './acl.js'
import { conflictProblems } from './conflicts.js'
import { realRootOf } from './disk.js'
import { examineOnDisk } from './entry.js'
import { deletedByChange } from './lines.js'
import { pathProblem } from './path-rules.js'
import { shapeProblems } from './shape.js'
import { type ChangeSetFile, type EntryProblem, toViolation } from './types.js'

/** What a ChangeSet is checked against: the work tree, the agent's permissions and `guard:`. */
export interface CheckOptions extends WritePolicy {
  /** The work tree root the ChangeSet would be applied to. */
  root: string
  guard: GuardConfig
  /** JSON pointer of the ChangeSet in the agent's output, for violation locations; default `/changeset`. */
  pointer?: string
}

/** The verdict on a ChangeSet. */
export interface CheckResult {
  /** Problems the agent must fix before the ChangeSet can be applied; all have severity error. */
  violations: Violation[]
  /** Reasons a person must approve the ChangeSet before it is applied, one sentence each. */
  approvals: string[]
  /** Lines the ChangeSet deletes: lines removed from modified files and all lines of deleted files. */
  deletedLines: number
}

/**
 * Checks a ChangeSet before it is applied, against the work tree as it is now. Violations tell the
 * model what to fix: bad or reserved paths, symbolic links, paths outside the agent's permissions,
 * oversized files, creating what exists or changing what does not, edits that do not match exactly
 * once, and entries that clash. Approvals are not errors: protected paths and large deletions go to
 * a person. Nothing is written; `applyChangeSet` checks the work tree again when it writes.
 */
export async function checkChangeSet(changeset: ChangeSet, options: CheckOptions): Promise<CheckResult> {
  const base = options.pointer ?? '/changeset'
  const realRoot = await realRootOf(options.root)
  const acl = aclCheck(options)
  const isProtected = protectedGlob(options.guard.protected)
  const conflicts = conflictProblems(changeset.files)
  const violations: Violation[] = []
  const approvals: string[] = []
  let deletedLines = 0
  for (const [index, file] of changeset.files.entries()) {
    const clashes = conflicts.filter((c) => c.index === index).map((c) => c.problem)
    const checked = await checkEntry(realRoot, file, acl, options.guard)
    const entry = `${base}/files/${index}`
    violations.push(...[...clashes, ...checked.problems].map((p) => toViolation(p, entry)))
    deletedLines += checked.deletedLines
    const glob = pathProblem(file.path) ? undefined : isProtected(file.path)
    if (glob !== undefined)
      approvals.push(
        `The ChangeSet ${VERBS[file.action]} "${file.path}", which matches the protected glob "${glob}".`,
      )
  }
  const limit = options.guard.max_deleted_lines
  if (deletedLines > limit)
    approvals.push(
      `The ChangeSet deletes ${deletedLines} lines, more than the ${limit} allowed without approval (guard.max_deleted_lines).`,
    )
  return { violations, approvals, deletedLines }
}

const VERBS: Record<ChangeSetFile['action'], string> = {
  create: 'creates',
  modify: 'changes',
  delete: 'deletes',
}

/**
 * One entry's problems, in the order they can be judged: the path text, the permissions, the shape
 * and size, then the work tree. The file system is not touched for a path that is malformed or not
 * permitted, so that nothing about a denied file (not even how often a search text occurs in it)
 * reaches the model.
 */
async function checkEntry(
  realRoot: string,
  file: ChangeSetFile,
  acl: (path: string) => EntryProblem | undefined,
  guard: GuardConfig,
): Promise<{ problems: EntryProblem[]; deletedLines: number }> {
  const shape = shapeProblems(file)
  const none = { problems: shape, deletedLines: 0 }
  if (pathProblem(file.path)) return none
  const denied = acl(file.path)
  if (denied) return { problems: [denied, ...shape], deletedLines: 0 }
  const problems = [...shape, ...sizeProblems(file.path, file.content, '/content', guard)]
  if (problems.length > 0) return { problems, deletedLines: 0 }
  const disk = await examineOnDisk(realRoot, file)
  if (!disk.plan) return { problems: disk.problems, deletedLines: 0 }
  const plan = disk.plan
  if (plan.action === 'delete')
    return { problems: [], deletedLines: deletedByChange(plan.before.bytes, undefined) }
  return {
    problems: file.edits ? sizeProblems(file.path, plan.content, '/edits', guard) : [],
    deletedLines: deletedByChange(plan.before?.bytes, plan.content),
  }
}

function sizeProblems(
  path: string,
  text: string | undefined,
  field: string,
  guard: GuardConfig,
): EntryProblem[] {
  if (text === undefined) return []
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes <= guard.max_file_bytes) return []
  const result = field === '/edits' ? ' after the edits' : ''
  return [
    {
      rule: 'CS-SIZE',
      field,
      message: `"${path}" would be ${bytes} bytes${result}, more than the ${guard.max_file_bytes} allowed (guard.max_file_bytes).`,
      fix: 'Split the code into several smaller files, or leave generated and data files out of the ChangeSet.',
    },
  ]
}
