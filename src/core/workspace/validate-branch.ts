import { randomBytes } from 'node:crypto'
import { realpathSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { ProjectConfig } from '../config/load.js'
import { userError } from '../errors.js'
import { git, gitTry, removeWorktree, repositoryState, revParse } from '../git/index.js'
import { notAnOption } from '../git/run.js'
import { type PipelineEvent, type PipelineReport, runPipeline } from '../pipeline/index.js'
import { acquireLock, releaseLock } from '../run/lock.js'
import { stateDir } from '../state-dir.js'

/** What `validateBranch` checks out and how the pipeline went there. */
export interface BranchValidation {
  branch: string
  /** The commit validated: the branch's tip when validation started. */
  commit: string
  /** The folder holding the full output of every step. */
  logDir: string
  report: PipelineReport
}

export interface ValidateOptions {
  /** The branch to validate; default: the branch checked out at `config.root`. */
  branch?: string
  /** Cancels the pipeline; the temporary worktree is removed all the same. */
  signal?: AbortSignal
  redact?: (text: string) => string
  /** Called once the worktree is ready, before the first step. */
  onStart?: (start: { branch: string; commit: string; logDir: string }) => void
  onStep?: (event: PipelineEvent) => void
}

/** The name prefix of the temporary worktrees `validateBranch` makes under `.macds/worktrees/`. */
export const VALIDATE_PREFIX = 'validate-'

/**
 * Runs the project's pipeline on the committed content of a branch, in a temporary worktree on a
 * detached HEAD at the branch's tip, then removes that worktree (also when the pipeline fails or is
 * cancelled). The user's checkout is never touched. While it works, `.macds/locks/<worktree name>`
 * holds this process's id, so that `macds clean` leaves the worktree alone. Logs go to
 * `.macds/validate/<timestamp>/`. A missing pipeline, branch or commit is a user error.
 */
export async function validateBranch(
  config: ProjectConfig,
  options: ValidateOptions = {},
): Promise<BranchValidation> {
  if (config.pipeline.steps.length === 0) throw noPipeline(config)
  const repo = await repositoryState(config.root)
  const branch = options.branch ?? repo.branch
  if (repo.head === undefined)
    throw userError(
      'GIT_NO_COMMITS',
      `the repository at ${repo.root} has no commits yet, so there is no branch to validate`,
      'Make a first commit: `git add -A && git commit -m "Initial commit"`.',
    )
  if (branch === undefined)
    throw userError(
      'VALIDATE_NO_BRANCH',
      `HEAD is detached at ${repo.head.slice(0, 12)} in ${repo.root}, so there is no current branch`,
      'Name the branch to validate: `macds validate <branch>`.',
    )
  const commit = await branchTip(repo.root, branch)
  const name = `${VALIDATE_PREFIX}${randomBytes(4).toString('hex')}`
  const lock = join(await stateDir(repo.root, 'locks'), name)
  const worktree = join(await stateDir(repo.root, 'worktrees'), name)
  const logDir = join(await stateDir(config.root, 'validate'), new Date().toISOString().replace(/[:.]/g, '-'))
  acquireLock(lock, name)
  try {
    await git(repo.root, ['worktree', 'add', '--quiet', '--detach', worktree, commit])
    const cwd = join(worktree, relative(realpathSync(repo.root), realpathSync(config.root)))
    const { signal, redact, onStep } = options
    options.onStart?.({ branch, commit, logDir })
    const report = await runPipeline(config.pipeline, { cwd, changed: 'all', logDir, signal, redact, onStep })
    return { branch, commit, logDir, report }
  } finally {
    await discard(repo.root, worktree)
    releaseLock(lock)
  }
}

/** The tip of a local branch, or else of a remote-tracking one; an unknown name is a user error. */
async function branchTip(repo: string, branch: string): Promise<string> {
  notAnOption(branch, 'branch')
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/${branch}`]) {
    const commit = await revParse(repo, `${ref}^{commit}`)
    if (commit !== undefined) return commit
  }
  throw userError(
    'BRANCH_NOT_FOUND',
    `there is no branch '${branch}' in ${repo}`,
    'List the branches with `git branch --list` (and `git branch --remotes`), then pass one of them.',
  )
}

/** Removes the temporary worktree; when git cannot, the folder is deleted and git's records pruned. */
async function discard(repo: string, worktree: string): Promise<void> {
  try {
    await removeWorktree(repo, worktree)
  } catch {
    await rm(worktree, { recursive: true, force: true })
    await gitTry(repo, ['worktree', 'prune'])
  }
}

function noPipeline(config: ProjectConfig) {
  const where = config.file ?? `${config.root} (there is no macds.yaml)`
  return userError(
    'PIPELINE_MISSING',
    `no validation pipeline is configured in ${where}`,
    'Run `macds init` to detect the commands, or add to macds.yaml: pipeline: { test: { command: [npm, test] } }',
  )
}
