import { existsSync, realpathSync } from 'node:fs'
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import { MacdsError } from '../errors.js'
import {
  deleteBranch,
  gitTry,
  listWorktrees,
  removeWorktree,
  repositoryState,
  revParse,
} from '../git/index.js'
import type { Worktree } from '../git/index.js'
import { lockHolder } from '../run/lock.js'
import { listRunIds, runPaths } from '../run/paths.js'
import { type RunSummary, summarizeRun } from '../run/status.js'
import { VALIDATE_PREFIX } from './validate-branch.js'
import { runBranch, worktreeDir } from './worktree.js'

/** A worktree or lock younger than this is left alone: a run or validation may be setting it up. */
const GRACE_MS = 60_000

/** One thing `macds clean` removes, and why it may go. */
export interface CleanItem {
  kind: 'worktree' | 'branch' | 'lock'
  /** An absolute path (worktree, lock) or a branch name. */
  target: string
  reason: string
  /** The run it belongs to, if any. */
  run_id?: string
  /** The lock that keeps it while a live process holds it; checked again just before removal. */
  lock?: string
}

/** Something `macds clean` leaves in place: `skipped` while in use, `kept` for the user to act on. */
export interface CleanSkip {
  kind: 'run' | 'worktree' | 'branch' | 'lock'
  target: string
  action: 'skipped' | 'kept'
  reason: string
}

/** What `macds clean` would do; `repo` is the repository's top (undefined outside git). */
export interface CleanPlan {
  repo: string | undefined
  remove: CleanItem[]
  leave: CleanSkip[]
}

/**
 * What can go under `root`: the worktrees and branches of runs that passed, failed or were cancelled
 * and that no live process holds, worktrees under `.macds/worktrees/` that belong to no run, and
 * locks left by dead processes. A passed run's branch that was not merged is kept unless `all`.
 * Runs still running, stopped half-way or waiting for a person are left alone. Reads only.
 */
export async function planClean(root: string, options: { all?: boolean } = {}): Promise<CleanPlan> {
  const repo = await repositoryTop(root)
  const plan: CleanPlan = { repo, remove: [], leave: [] }
  const trees = repo ? await listWorktrees(repo) : []
  const runIds = await listRunIds(root)
  for (const id of runIds) await planRun(root, id, trees, options.all === true, plan)
  if (repo) await planLeftovers(root, repo, new Set(runIds), plan)
  await planLocks([...new Set([root, repo ?? root])], root, plan)
  return plan
}

/**
 * Removes what the plan lists, in order (a run's worktree before its branch), then prunes git's
 * records of missing worktrees. A run or lock that a live process took meanwhile, or a removal git
 * refuses, is reported in `left` instead of failing the rest.
 */
export async function applyClean(plan: CleanPlan): Promise<{ removed: CleanItem[]; left: CleanSkip[] }> {
  const removed: CleanItem[] = []
  const left: CleanSkip[] = []
  for (const item of plan.remove) {
    const holder = item.lock === undefined ? undefined : lockHolder(item.lock)
    if (holder !== undefined) {
      left.push(skipped(item, `process ${holder} took it over meanwhile`))
      continue
    }
    try {
      await removeItem(plan.repo, item)
      removed.push(item)
    } catch (error) {
      left.push(skipped(item, messageOf(error)))
    }
  }
  if (plan.repo) await gitTry(plan.repo, ['worktree', 'prune'])
  return { removed, left }
}

async function planRun(root: string, id: string, trees: Worktree[], all: boolean, plan: CleanPlan) {
  let run: RunSummary
  try {
    run = await summarizeRun(root, id)
  } catch (error) {
    return leave(plan, 'run', id, `its log is unreadable: ${messageOf(error)}`)
  }
  const busy = inUse(run)
  if (busy) return leave(plan, 'run', id, busy)
  if (!plan.repo) return
  const { status, workspace, integration } = run.state
  const owned = { reason: `run ${id} ${status}`, run_id: id, lock: runPaths(root, id).lock }
  const worktree = worktreeDir(plan.repo, id)
  const registered = trees.find((t) => samePath(t.path, worktree) || samePath(t.path, workspace?.worktree))
  const path = registered?.path ?? (existsSync(worktree) ? worktree : undefined)
  if (path) plan.remove.push({ kind: 'worktree', target: path, ...owned })
  const branch = workspace?.branch ?? runBranch(id)
  if ((await revParse(plan.repo, `refs/heads/${branch}`)) === undefined) return
  const elsewhere = trees.find((t) => t.branch === branch && t !== registered)
  if (elsewhere) {
    return leave(
      plan,
      'branch',
      branch,
      `checked out in ${elsewhere.path}; switch it to another branch first`,
    )
  }
  if (!all && (integration.status === 'kept' || integration.status === 'failed')) {
    const reason = `every stage of run ${id} passed but it was not merged (${integration.message ?? ''}); merge it with \`git merge ${branch}\`, or delete it with \`macds clean --all\``
    return leave(plan, 'branch', branch, reason, 'kept')
  }
  plan.remove.push({ kind: 'branch', target: branch, ...owned })
}

/** Why a run must be left alone, or undefined when it is over and no process holds it. */
function inUse(run: RunSummary): string | undefined {
  if (run.driven_by !== undefined) return `still running: process ${run.driven_by} holds its lock`
  switch (run.status) {
    case 'passed':
    case 'failed':
    case 'cancelled':
      return undefined
    case 'awaiting_human':
      return `waiting for a person (${run.decisions.map((d) => d.id).join(', ')}): answer with \`macds approve|reject <id>\``
    case 'stopped':
    case 'running':
      return `stopped before it finished; continue it with \`macds resume ${run.run_id}\``
  }
}

/** Folders under .macds/worktrees/ of no known run: leftovers of a killed validation or run. */
async function planLeftovers(root: string, repo: string, runIds: Set<string>, plan: CleanPlan) {
  const dir = join(repo, '.macds', 'worktrees')
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : []
  for (const entry of entries) {
    if (!entry.isDirectory() || runIds.has(entry.name)) continue
    const path = join(dir, entry.name)
    // A validation holds its lock from before its worktree exists; a run takes its lock only after.
    const validation = entry.name.startsWith(VALIDATE_PREFIX)
    const lock = validation ? join(repo, '.macds', 'locks', entry.name) : runPaths(root, entry.name).lock
    const holder = lockHolder(lock)
    if (holder !== undefined) leave(plan, 'worktree', path, `in use by process ${holder}`)
    else if (!validation && (await young(path)))
      leave(plan, 'worktree', path, 'made less than a minute ago; a run may be starting in it')
    else plan.remove.push({ kind: 'worktree', target: path, reason: 'no run uses it', lock })
  }
}

/** Lock files (`.macds/locks/*`, and each run's lock) whose process is gone. */
async function planLocks(bases: string[], root: string, plan: CleanPlan) {
  const files: string[] = []
  for (const base of bases) files.push(...(await filesIn(join(base, '.macds', 'locks'))))
  const runs = join(root, '.macds', 'runs')
  for (const id of existsSync(runs) ? await readdir(runs) : []) files.push(runPaths(root, id).lock)
  for (const file of files) {
    if (!existsSync(file) || lockHolder(file) !== undefined) continue
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim())
    // An empty lock may be one being written this very moment: only an old one is stale.
    const reason =
      pid > 0 ? `process ${pid} is gone` : (await young(file)) ? undefined : 'it names no process'
    if (reason) plan.remove.push({ kind: 'lock', target: file, reason, lock: file })
  }
}

async function removeItem(repo: string | undefined, item: CleanItem): Promise<void> {
  if (item.kind === 'lock') return rm(item.target, { force: true })
  if (!repo) return
  if (item.kind === 'branch') return deleteBranch(repo, item.target)
  try {
    await removeWorktree(repo, item.target)
  } catch (error) {
    // A folder git does not know as a worktree; only macds's own folder may be deleted outright.
    if (!resolve(item.target).startsWith(join(repo, '.macds', 'worktrees') + sep)) throw error
    await rm(item.target, { recursive: true, force: true })
  }
}

async function repositoryTop(root: string): Promise<string | undefined> {
  try {
    return (await repositoryState(root)).root
  } catch (error) {
    if (error instanceof MacdsError && error.kind === 'user') return undefined
    throw error
  }
}

async function filesIn(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const entries = await readdir(dir, { withFileTypes: true })
  return entries.filter((e) => e.isFile() && e.name !== '.gitignore').map((e) => join(dir, e.name))
}

async function young(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined)
  return info !== undefined && Date.now() - info.mtimeMs < GRACE_MS
}

function samePath(a: string, b: string | undefined): boolean {
  return b !== undefined && canonical(a) === canonical(b)
}

function canonical(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path)
}

function leave(
  plan: CleanPlan,
  kind: CleanSkip['kind'],
  target: string,
  reason: string,
  action: CleanSkip['action'] = 'skipped',
) {
  plan.leave.push({ kind, target, action, reason })
}

function skipped(item: CleanItem, reason: string): CleanSkip {
  return { kind: item.kind, target: item.target, action: 'skipped', reason }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
