import { existsSync } from 'node:fs'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { ProjectConfig } from '../config/load.js'
import { userError } from '../errors.js'
import { addWorktree, git, gitTry, openRepository, repositoryState, revParse } from '../git/index.js'
import type { WorkspaceInfo } from '../run/workspace.js'

/** The run branch of a run. */
export function runBranch(runId: string): string {
  return `macds/${runId}`
}

/** Where a run's worktree lives: `.macds/worktrees/<run-id>` of the repository. */
export function worktreeDir(root: string, runId: string): string {
  return join(root, '.macds', 'worktrees', runId)
}

/**
 * Makes a run's worktree: the branch macds/<run-id> at the target's tip, checked out under
 * .macds/worktrees/. The user's checkout is not touched. The target is `target`, else
 * `integration.target` of macds.yaml, else the branch checked out now.
 */
export async function createWorktree(
  config: ProjectConfig,
  runId: string,
  target: string | undefined,
): Promise<WorkspaceInfo> {
  const repo = await ((target ?? config.integration.target)
    ? repositoryState(config.root)
    : openRepository(config.root))
  const branch = target ?? config.integration.target ?? (repo.branch as string)
  const base = await revParse(repo.root, `refs/heads/${branch}`)
  if (!base)
    throw userError(
      'TARGET_NOT_FOUND',
      `the target branch ${branch} does not exist in ${repo.root}`,
      'Pass --target with an existing branch, or create it first (`git branch <name>`).',
    )
  const worktree = worktreeDir(repo.root, runId)
  await unionMergeMemory(repo.root)
  await addWorktree(repo.root, worktree, runBranch(runId), base)
  return { worktree, branch: runBranch(runId), target: branch, base }
}

/** The attribute that lets git merge two runs' additions to the same memory store by keeping both. */
const MEMORY_MERGE = 'memory/*.jsonl merge=union'

/**
 * Makes git merge the committed memory stores line by line (the `union` driver): two runs that both
 * add notes would otherwise conflict, and a store reads well with both sides' lines (the last line
 * of an id wins). Set in the repository's own info/attributes, which is never committed.
 */
async function unionMergeMemory(root: string): Promise<void> {
  const common = (await git(root, ['rev-parse', '--git-common-dir'])).trim()
  const file = join(resolve(root, common), 'info', 'attributes')
  const text = await readFile(file, 'utf8').catch(() => '')
  if (text.split('\n').includes(MEMORY_MERGE)) return
  await mkdir(dirname(file), { recursive: true })
  await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${MEMORY_MERGE}\n`)
}

/**
 * Gets the worktree of a resumed run back to the last effect its log recorded: a worktree removed
 * since (the run was cancelled, or `macds clean` ran) is checked out again from the run branch, and
 * whatever a stage in flight had applied or committed after `head` is undone, since that stage runs
 * again. Files git ignores (installed dependencies, build output) stay.
 */
export async function restoreWorktree(root: string, info: WorkspaceInfo, head: string): Promise<void> {
  if (!existsSync(join(info.worktree, '.git'))) await checkOutAgain(root, info)
  await git(info.worktree, ['reset', '--quiet', '--hard', head])
  await git(info.worktree, ['clean', '--quiet', '-d', '--force'])
}

async function checkOutAgain(root: string, info: WorkspaceInfo): Promise<void> {
  await gitTry(root, ['worktree', 'prune'])
  const result = await gitTry(root, ['worktree', 'add', info.worktree, info.branch])
  if (result.code !== 0)
    throw userError(
      'RUN_BRANCH_MISSING',
      `the worktree of this run cannot be restored from ${info.branch}: ${result.stderr.trim()}`,
      'The run branch was deleted; start a new run with `macds run`.',
    )
}
