import { gitFailed, nulRecords, runGit, type GitOutput } from './git.js'
import { checkRelative, inGitDir } from './paths.js'
import { globBase, globMatcher, readCheck } from './policy.js'
import { ok, refused, type ToolContext, type ToolResult } from './types.js'

/** At most this many paths are returned by one call. */
export const LIST_MAX_FILES = 500
const GIT_TIMEOUT_MS = 10_000
const GIT_MAX_BYTES = 64 * 1024 * 1024

export interface ListFilesArgs {
  glob: string
}

/**
 * `list_files`: the readable files of the work tree matching a glob, tracked or untracked but not
 * ignored, sorted, at most LIST_MAX_FILES; the rest are counted. Files the read policy denies are
 * left out, names included. Symbolic links are listed as they are; reading one goes through the guards.
 */
export async function listFilesTool(args: ListFilesArgs, context: ToolContext): Promise<ToolResult> {
  const checked = checkRelative(args.glob, 'glob')
  if (!checked.ok) return refused(checked.error)
  const glob = checked.value || '**'
  const base = globBase(glob)
  const pathspec = base === undefined ? [] : ['--', base]
  const git = {
    cwd: context.root,
    timeoutMs: GIT_TIMEOUT_MS,
    maxBytes: GIT_MAX_BYTES,
    signal: context.signal,
  }
  const [present, deleted] = await Promise.all([
    runGit(['ls-files', '-z', '--cached', '--others', '--exclude-standard', ...pathspec], git),
    runGit(['ls-files', '-z', '--deleted', ...pathspec], git),
  ])
  const failure = gitRefusal(present, glob) ?? gitRefusal(deleted, glob)
  if (failure) return failure

  const gone = new Set(nulRecords(deleted))
  const matches = globMatcher(glob)
  const readable = readCheck(context.read)
  const files = [...new Set(nulRecords(present))]
    .filter((path) => !gone.has(path) && !inGitDir(path) && matches(path) && readable(path))
    .sort()
  if (files.length === 0) return ok(`No readable files match "${glob}". ${broader(glob)}`)
  const shown = files.slice(0, LIST_MAX_FILES)
  const more = files.length - shown.length
  const notes: string[] = []
  if (more > 0)
    notes.push(
      `[${more} more files match "${glob}" and are not shown. Narrow the glob to a directory or a kind of file, such as "src/**/*.ts".]`,
    )
  if (present.truncated)
    notes.push(`[git's list passed ${GIT_MAX_BYTES / (1024 * 1024)} MiB and was cut: more files may match.]`)
  return ok([...shown, ...notes].join('\n'))
}

/**
 * A readable refusal for a git failure the model caused, or a thrown external error for one it did
 * not (not a repository, a broken index); undefined when git succeeded.
 */
function gitRefusal(output: GitOutput, glob: string): ToolResult | undefined {
  if (output.timedOut)
    return refused(
      `Listing "${glob}" took too long and was stopped. Narrow the glob to a directory, such as "src/**".`,
    )
  if (output.code === 0 || output.truncated) return undefined
  if (/beyond a symbolic link/.test(output.stderr))
    return refused(
      `"${glob}" passes through a symbolic link; symbolic links to directories are not followed.`,
    )
  throw gitFailed('ls-files', output)
}

function broader(glob: string): string {
  const last = glob.split('/').at(-1) ?? ''
  if (glob.includes('/') && last !== '**' && !last.startsWith('**'))
    return `Try "**/${last}" to look in every directory.`
  return 'Call list_files with "**" to see every readable file.'
}
