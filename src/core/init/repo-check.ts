import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { MacdsError, userError } from '../errors.js'
import { type GitOutput, gitFailed, runGit } from '../tools/git.js'

const GIT = { timeoutMs: 15_000, maxBytes: 64 * 1024 }
const execGit = promisify(execFile)

/**
 * The top-level directory of the git repository holding `dir`, once it is known to be one macds can
 * work in: inside a work tree, with at least one commit, and with a branch checked out. Each of these
 * failing is a user error whose hint is the next step.
 */
export async function repositoryRoot(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw userError(
      'INIT_NO_DIRECTORY',
      `${dir} is not a directory`,
      'Pass --cwd DIR with an existing directory.',
    )
  }
  const top = await git(dir, ['rev-parse', '--show-toplevel'])
  if (top.code !== 0) {
    throw userError(
      'INIT_NOT_A_REPOSITORY',
      `${dir} is not inside a git repository (macds works on the history of one)`,
      'Create one with `git init`, make a first commit, then run `macds init` again.',
    )
  }
  const root = top.stdout.toString('utf8').trim()
  if ((await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).code !== 0) {
    throw userError(
      'INIT_NO_COMMITS',
      `the repository at ${root} has no commits yet; runs start from a commit`,
      'Make a first commit: `git commit --allow-empty -m init`, then run `macds init` again.',
    )
  }
  const branch = await git(root, ['symbolic-ref', '--quiet', 'HEAD'])
  if (branch.code === 1) {
    throw userError(
      'INIT_DETACHED_HEAD',
      `HEAD is detached in ${root}; runs integrate into a branch`,
      'Check out a branch: `git switch -c main` (or `git switch <branch>`), then run `macds init` again.',
    )
  }
  if (branch.code !== 0) throw gitFailed('symbolic-ref HEAD', branch)
  return root
}

/**
 * The given paths (relative to the root) that the repository's ignore rules exclude, so that files
 * macds init writes for committing are not silently left out of the history.
 */
export async function ignoredPaths(root: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return []
  // Not through runGit: check-ignore refuses the literal-pathspec setting runGit applies to every call.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')))
  const args = ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false', 'check-ignore', '--no-index']
  try {
    const { stdout } = await execGit('git', [...args, '--', ...paths], {
      cwd: root,
      env,
      timeout: GIT.timeoutMs,
    })
    return stdout.split('\n').filter(Boolean)
  } catch (error) {
    if ((error as { code?: unknown }).code === 1) return [] // nothing is ignored
    throw new MacdsError('GIT_FAILED', `git check-ignore failed: ${(error as Error).message}`, {
      kind: 'external',
      hint: 'Check that the work tree is a git repository that git can read.',
      cause: error,
    })
  }
}

function git(cwd: string, args: string[]): Promise<GitOutput> {
  return runGit(args, { cwd, ...GIT })
}
