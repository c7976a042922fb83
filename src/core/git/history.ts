import { git, notAnOption } from './run.js'

/** One commit of a path's history. */
export interface LoggedCommit {
  commit: string
  authorName: string
  authorEmail: string
  /** Author date, ISO 8601. */
  time: string
  subject: string
  /** The commit's trailers (`Key: value` lines of its last paragraph); the first of a repeated key wins. */
  trailers: Record<string, string>
  /** The paths under the given pathspecs that the commit changed. */
  files: string[]
}

const FORMAT = '%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%(trailers:only,unfold)'

/**
 * The commits reachable from `ref` (default HEAD) that change any of `paths`, newest first in
 * topological order (commits of the same second keep a stable order), with their trailers.
 */
export async function pathLog(
  cwd: string,
  paths: readonly string[],
  options: { ref?: string; maxCount?: number } = {},
): Promise<LoggedCommit[]> {
  const ref = notAnOption(options.ref ?? 'HEAD', 'revision')
  const limit = options.maxCount === undefined ? [] : [`--max-count=${options.maxCount}`]
  const out = await git(cwd, [
    '--literal-pathspecs',
    'log',
    '--topo-order',
    '--no-color',
    '--name-only',
    '-z',
    `--format=${FORMAT}`,
    ...limit,
    ref,
    '--',
    ...paths,
  ])
  return out
    .split('\x1e')
    .filter((record) => record !== '')
    .map(parseRecord)
}

function parseRecord(record: string): LoggedCommit {
  const end = record.indexOf('\0')
  const header = end === -1 ? record : record.slice(0, end)
  const rest = end === -1 ? '' : record.slice(end + 1)
  const [commit = '', authorName = '', authorEmail = '', time = '', subject = '', trailerText = ''] =
    header.split('\x1f')
  const trailers: Record<string, string> = {}
  for (const line of trailerText.split('\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const key = line.slice(0, colon).trim()
    if (!(key in trailers)) trailers[key] = line.slice(colon + 1).trim()
  }
  const files = rest
    .replace(/^\n/, '')
    .split('\0')
    .filter((f) => f !== '')
  return { commit, authorName, authorEmail, time, subject, trailers, files }
}

/**
 * The unified diff that `commit` made to `path` (against its first parent; a root commit against
 * nothing). Empty when the commit did not change the path.
 */
export async function commitDiff(cwd: string, commit: string, path: string): Promise<string> {
  return git(cwd, [
    '-c',
    'core.abbrev=auto',
    '--literal-pathspecs',
    'show',
    '--format=',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--diff-merges=first-parent',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    notAnOption(commit, 'commit'),
    '--',
    path,
  ])
}
