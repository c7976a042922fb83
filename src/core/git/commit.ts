import { userError } from '../errors.js'
import { git, gitFailure, gitTry } from './run.js'

/** A name and e-mail address as git records them, such as `macds architect <architect@macds.invalid>`. */
export interface Identity {
  name: string
  email: string
}

/** What to commit and in whose name. */
export interface CommitRequest {
  message: string
  /** Author and committer of the commit. */
  author: Identity
  /** `Key: value` lines after the message, such as `Macds-Run: r1`. */
  trailers?: Record<string, string>
  /**
   * `'all'`: every change in the work tree, untracked files included. A list: exactly these paths
   * (created, modified or deleted) and nothing else, even when other changes are staged.
   */
  paths: readonly string[] | 'all'
  /** Adds the listed paths even where a .gitignore ignores them (they were named on purpose). */
  force?: boolean
}

/**
 * Commits in the work tree at `cwd` without running hooks or signing, and returns the new commit's
 * id; undefined when the paths have no change to commit.
 */
export async function commit(cwd: string, request: CommitRequest): Promise<string | undefined> {
  const { author, paths } = request
  checkIdentity(author)
  const pathspec = paths === 'all' ? [] : ['--', ...paths]
  if (paths !== 'all' && paths.length === 0) return undefined
  await git(cwd, ['--literal-pathspecs', 'add', '--all', ...(request.force ? ['--force'] : []), ...pathspec])
  const result = await gitTry(cwd, [
    ...asCommitter(author),
    '--literal-pathspecs',
    'commit',
    '--no-verify',
    '--no-gpg-sign',
    '--cleanup=whitespace',
    `--author=${author.name} <${author.email}>`,
    '--message',
    commitMessage(request.message, request.trailers ?? {}),
    ...pathspec,
  ])
  if (result.code === 0) {
    const id = /^\[[^\]]*?\b([0-9a-f]{40,64})\]/.exec(result.stdout)?.[1]
    return id ?? (await git(cwd, ['rev-parse', 'HEAD'])).trim()
  }
  if (/nothing (added )?to commit|no changes added to commit/.test(result.stdout)) return undefined
  throw gitFailure(['commit'], result)
}

/** A commit message with its trailers in a last paragraph, as `git interpret-trailers` reads them. */
export function commitMessage(message: string, trailers: Record<string, string>): string {
  const lines = Object.entries(trailers).map(([key, value]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(key))
      throw userError(
        'GIT_BAD_TRAILER',
        `'${key}' is not a valid trailer key`,
        'Use letters, digits and dashes.',
      )
    return `${key}: ${value.replace(/\s*\n\s*/g, ' ').trim()}`
  })
  const body = message.trim()
  return lines.length === 0 ? body : `${body}\n\n${lines.join('\n')}`
}

/** `-c user.name=… -c user.email=…` so that the committer is the author, whatever git is configured with. */
export function asCommitter(identity: Identity): string[] {
  checkIdentity(identity)
  return ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`]
}

function checkIdentity({ name, email }: Identity): void {
  const bad = (text: string) => text.trim() === '' || /[<>\n\r]/.test(text)
  if (bad(name) || bad(email))
    throw userError(
      'GIT_BAD_IDENTITY',
      `'${name} <${email}>' is not a valid commit author`,
      'Use a name and an e-mail address without angle brackets or line breaks.',
    )
}
