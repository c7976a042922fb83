import { userError } from '../errors.js'
import { git, gitFailure, gitTry, notAnOption } from './run.js'

/** Where a repository stands: its root, what HEAD points at, and whether tracked files are modified. */
export interface RepositoryState {
  /** Absolute path of the work tree's top directory. */
  root: string
  /** The checked-out branch (also before its first commit); undefined when HEAD is detached. */
  branch: string | undefined
  detached: boolean
  /** The commit HEAD points at; undefined before the first commit. */
  head: string | undefined
  /** No staged or unstaged change to a tracked file. Untracked files do not count (see isClean). */
  clean: boolean
}

/** A repository macds can work in: it has commits and a branch checked out. */
export type OpenRepository = RepositoryState & { branch: string; head: string }

/**
 * Reports the state of the repository that contains `dir`. A directory outside any repository, or
 * a bare repository, is a user error that says how to get a repository.
 */
export async function repositoryState(dir: string): Promise<RepositoryState> {
  const [top, status] = await Promise.all([
    gitTry(dir, ['rev-parse', '--show-toplevel']),
    gitTry(dir, ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=no']),
  ])
  if (top.code !== 0) {
    if (/must be run in a work tree/.test(top.stderr))
      throw userError(
        'GIT_NO_WORK_TREE',
        `${dir} is inside a git repository without a work tree (a bare repository)`,
        'Run macds in a clone that has a work tree: `git clone <this repository> <dir>`.',
      )
    if (/not a git repository/.test(top.stderr))
      throw userError(
        'GIT_NOT_A_REPOSITORY',
        `${dir} is not inside a git repository`,
        'Run macds in your project’s repository, or create one with `git init` and make a first commit.',
      )
    throw gitFailure(['rev-parse'], top)
  }
  if (status.code !== 0) throw gitFailure(['status'], status)
  const records = status.stdout.split('\0').filter((r) => r !== '')
  const header = (name: string) =>
    records.find((r) => r.startsWith(`# branch.${name} `))?.slice(`# branch.${name} `.length)
  const oid = header('oid')
  const branch = header('head')
  return {
    root: top.stdout.trim(),
    branch: branch === '(detached)' ? undefined : branch,
    detached: branch === '(detached)',
    head: oid === undefined || oid === '(initial)' ? undefined : oid,
    clean: records.every((r) => r.startsWith('#')),
  }
}

/**
 * The state of the repository at `dir`, checked to be one macds can branch from: no repository, no
 * commits yet, or a detached HEAD is a user error whose hint gives the next step.
 */
export async function openRepository(dir: string): Promise<OpenRepository> {
  const state = await repositoryState(dir)
  if (state.head === undefined)
    throw userError(
      'GIT_NO_COMMITS',
      `the repository at ${state.root} has no commits yet`,
      'Make a first commit so macds has a base to branch from: `git add -A && git commit -m "Initial commit"`.',
    )
  if (state.branch === undefined)
    throw userError(
      'GIT_DETACHED_HEAD',
      `HEAD is detached at ${state.head.slice(0, 12)} in ${state.root}`,
      'Check out the branch macds should work on (`git switch <branch>`), or pass --target BRANCH.',
    )
  return { ...state, branch: state.branch, head: state.head }
}

/** The full object id `rev` names in the repository at `cwd`, or undefined when it names nothing. */
export async function revParse(cwd: string, rev: string): Promise<string | undefined> {
  notAnOption(rev, 'revision')
  const result = await gitTry(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', rev])
  if (result.code === 0) return result.stdout.trim()
  if (result.code === 1) return undefined
  throw gitFailure(['rev-parse'], result)
}

/** The branch checked out at `cwd`, or undefined when HEAD is detached. */
export async function currentBranch(cwd: string): Promise<string | undefined> {
  const result = await gitTry(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  if (result.code === 0) return result.stdout.trim()
  if (result.code === 1) return undefined
  throw gitFailure(['symbolic-ref'], result)
}

/**
 * Whether the work tree at `cwd` has no staged or unstaged change to a tracked file. Untracked
 * files are ignored unless `untracked` is set: git never overwrites an untracked file in a
 * checkout or fast-forward (it refuses instead), so they cannot be lost by the moves macds makes.
 */
export async function isClean(cwd: string, options: { untracked?: boolean } = {}): Promise<boolean> {
  const mode = options.untracked ? '--untracked-files=normal' : '--untracked-files=no'
  const out = await git(cwd, ['status', '--porcelain=v1', '-z', mode])
  return out === ''
}

/** The paths of tracked files with staged or unstaged changes at `cwd` (for messages to the user). */
export async function changedPaths(cwd: string): Promise<string[]> {
  const out = await git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=no'])
  const records = out.split('\0').filter((r) => r !== '')
  const paths: string[] = []
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? ''
    paths.push(record.slice(3))
    if (record[0] === 'R' || record[0] === 'C') i++ // the rename's source path follows
  }
  return paths
}
