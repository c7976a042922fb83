import { GitConstructError, GitError, GitPluginError, type SimpleGit, simpleGit } from 'simple-git'
import { MacdsError, toMacdsError, userError } from '../errors.js'

/**
 * Configuration pinned on every call, so that nothing in the repository's or the user's git config
 * runs a program or changes what macds writes and parses: no hooks, no fsmonitor daemon, no pager,
 * editor, external diff or ssh, no signing, no background gc, no rerere, no rename-following logs.
 * Clean/smudge filters (git-lfs) stay on: they are the user's own tools and worktrees need them.
 */
export const SAFE_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.sshCommand=false',
  'core.askPass=',
  'core.editor=false',
  'sequence.editor=false',
  'core.pager=cat',
  'core.quotePath=false',
  'core.abbrev=no',
  'diff.external=',
  'color.ui=false',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'log.showSignature=false',
  'log.follow=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'rerere.enabled=false',
  'merge.autoStash=false',
  'submodule.recurse=false',
]

/** simple-git refuses some of the keys above unless told that macds sets them on purpose. */
const UNSAFE_ALLOWED = {
  allowUnsafeHooksPath: true,
  allowUnsafeFsMonitor: true,
  allowUnsafeSshCommand: true,
  allowUnsafeAskPass: true,
  allowUnsafeEditor: true,
  allowUnsafePager: true,
  allowUnsafeDiffExternal: true,
}

/** Variables git may read from the caller's environment; everything else (GIT_DIR, EDITOR...) is dropped. */
const PASSED_ENV = ['PATH', 'HOME', 'XDG_CONFIG_HOME', 'TMPDIR', 'USER', 'LOGNAME', 'SYSTEMROOT']

/** The environment of every git call: a short allow-list, English messages, no prompts or lazy fetches. */
export function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of PASSED_ENV) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1' }
}

/** A git process that exited with a status other than 0, with everything it printed. */
export class GitExit extends GitError {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(undefined, stderr.trim() || stdout.trim() || `git exited with ${exitCode}`)
  }
}

const EMPTY = Buffer.alloc(0)

/**
 * A simple-git instance for `cwd` with the safe configuration and environment. Any exit status
 * other than 0 is a failure (simple-git alone lets a failure that printed nothing to stderr pass).
 *
 * Completion: the child's `close` (all output read) ends a call; `exit` + 50 ms is only the fallback
 * for a grandchild that keeps the pipes open. Beyond that, simple-git 3.36 waits a fixed 50 ms after
 * a child that printed nothing at all (update-ref, add, worktree remove, merge --quiet), whatever
 * `completion` says; an empty chunk at the end of stdout marks the output complete and removes
 * that wait (measured: update-ref 57 ms → 6 ms).
 */
export function gitAt(cwd: string): SimpleGit {
  let instance: SimpleGit
  try {
    instance = simpleGit({
      baseDir: cwd,
      config: [...SAFE_CONFIG],
      unsafe: UNSAFE_ALLOWED,
      completion: { onClose: true, onExit: 50 },
      errors(error, result) {
        if (result.exitCode === 0 || error instanceof GitPluginError) return error
        const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8')
        return new GitExit(result.exitCode, text(result.stdOut), text(result.stdErr))
      },
    })
  } catch (error) {
    if (error instanceof GitConstructError)
      throw userError('GIT_NO_DIRECTORY', `${cwd} is not a directory`, 'Pass an existing directory.', error)
    throw error
  }
  return instance.env(gitEnv()).outputHandler((_command, stdout) => {
    stdout.once('end', () => stdout.emit('data', EMPTY))
  })
}

/** What a git call printed and how it ended. */
export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs git in `cwd` and reports any exit status; throws only when git cannot run at all. */
export async function gitTry(cwd: string, args: string[]): Promise<GitResult> {
  try {
    return { code: 0, stdout: await gitAt(cwd).raw(args), stderr: '' }
  } catch (error) {
    if (error instanceof GitExit && error.exitCode >= 0)
      return { code: error.exitCode, stdout: error.stdout, stderr: error.stderr }
    throw unavailable(error)
  }
}

/** Runs git in `cwd` and returns its stdout; a failure is a MacdsError that quotes git's message. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const result = await gitTry(cwd, args)
  if (result.code !== 0) throw gitFailure(args, result)
  return result.stdout
}

/** The MacdsError for a git command that failed; a directory outside any repository is the user's. */
export function gitFailure(args: string[], result: GitResult): MacdsError {
  const message = (result.stderr.trim() || result.stdout.trim() || 'no message').replace(/^fatal: /, '')
  if (/not a git repository/i.test(message))
    return userError(
      'GIT_NOT_A_REPOSITORY',
      message,
      'Run macds inside a git repository, or create one with `git init`.',
    )
  return new MacdsError('GIT_FAILED', `git ${verb(args)} failed (exit ${result.code}): ${message}`, {
    kind: 'external',
    hint: 'Check the repository with `git status`; the message above is git’s own.',
  })
}

function unavailable(error: unknown): MacdsError {
  if (error instanceof MacdsError) return error
  if (error instanceof GitPluginError) return toMacdsError(error)
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]
  return new MacdsError('GIT_UNAVAILABLE', `could not run git: ${message}`, {
    kind: 'external',
    hint: 'Install git and make sure it is on PATH.',
    cause: error,
  })
}

/** The git subcommand of an argument list, skipping global options and `-c key=value` pairs. */
function verb(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '-c') i++
    else if (!arg.startsWith('-')) return arg
  }
  return ''
}

/** Refuses a revision, branch or path that git would read as an option. */
export function notAnOption(value: string, what: string): string {
  if (value === '' || value.startsWith('-'))
    throw userError(
      'GIT_BAD_NAME',
      `${what} '${value}' is not valid`,
      `A ${what} cannot be empty or start with '-'.`,
    )
  return value
}
