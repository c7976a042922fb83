import { gitFailed, runGit, type GitOutput } from './git.js'
import { checkRelative, inGitDir } from './paths.js'
import { globBase, globMatcher, readCheck } from './policy.js'
import { ok, refused, type ToolContext, type ToolResult } from './types.js'

/** At most this many matching lines are returned by one call. */
export const SEARCH_MAX_MATCHES = 200
/** Longer matching lines are cut. */
export const SEARCH_MAX_LINE_CHARS = 300
const MAX_PATTERN_CHARS = 1000
const GIT_TIMEOUT_MS = 15_000
const GIT_MAX_BYTES = 16 * 1024 * 1024

export interface SearchArgs {
  pattern: string
  glob?: string | null
}

interface Match {
  path: string
  line: string
  text: string
}

/**
 * `search`: lines matching a POSIX extended regular expression (`git grep -E`; a pattern git refuses
 * is searched as a fixed string instead, and the answer says so) in the tracked and untracked, not
 * ignored, text files of the work tree, optionally only files matching `glob`. Matches in files the
 * read policy denies are dropped before anything is returned. Answers `path:line: text` lines, at most
 * SEARCH_MAX_MATCHES; the rest are counted.
 */
export async function searchTool(args: SearchArgs, context: ToolContext): Promise<ToolResult> {
  const { pattern } = args
  if (pattern === '') return refused('The pattern is empty. Give a regular expression or a word to look for.')
  if (pattern.length > MAX_PATTERN_CHARS)
    return refused(
      `The pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_CHARS} are accepted.`,
    )
  if (/[\r\n\0]/.test(pattern))
    return refused(
      'The pattern contains a line break; search matches within single lines. Search for one line at a time.',
    )
  let glob: string | undefined
  if (args.glob !== undefined && args.glob !== null) {
    const checked = checkRelative(args.glob, 'glob')
    if (!checked.ok) return refused(checked.error)
    glob = checked.value || undefined
  }

  const regex = await grep(pattern, '-E', glob, context)
  const output = refusedByGit(regex) ? await grep(pattern, '-F', glob, context) : regex
  if (output.timedOut)
    return refused(
      `The search took longer than ${GIT_TIMEOUT_MS / 1000} s and was stopped. Add a glob such as "src/**/*.ts" or use a more specific pattern.`,
    )
  if (refusedByGit(output)) {
    if (/beyond a symbolic link/.test(output.stderr))
      return refused(
        `The glob "${glob}" passes through a symbolic link; symbolic links to directories are not followed.`,
      )
    throw gitFailed('grep', output)
  }
  const note =
    output === regex
      ? undefined
      : `(The pattern is not a valid extended regular expression (git: ${regex.stderr.replace(/^fatal: /, '')}); it was searched as a fixed string.)`
  return answer(pattern, glob, output, context, note)
}

/** Exit 1 is "no match"; a killed git (timeout, output cap) is handled by the caller. */
function refusedByGit(output: GitOutput): boolean {
  return !output.timedOut && !output.truncated && output.code !== 0 && output.code !== 1
}

function grep(
  pattern: string,
  mode: '-E' | '-F',
  glob: string | undefined,
  context: ToolContext,
): Promise<GitOutput> {
  const base = glob === undefined ? undefined : globBase(glob)
  const args = ['grep', '-n', '-I', '-z', '--untracked', '--no-color', mode, '-e', pattern]
  if (base !== undefined) args.push('--', base)
  return runGit(args, {
    cwd: context.root,
    timeoutMs: GIT_TIMEOUT_MS,
    maxBytes: GIT_MAX_BYTES,
    signal: context.signal,
  })
}

function answer(
  pattern: string,
  glob: string | undefined,
  output: GitOutput,
  context: ToolContext,
  note: string | undefined,
): ToolResult {
  const inGlob = glob === undefined ? () => true : globMatcher(glob)
  const readable = readCheck(context.read)
  const matches = parseMatches(output.stdout.toString('utf8'))
    .filter((m) => !inGitDir(m.path) && inGlob(m.path) && readable(m.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const lines = note === undefined ? [] : [note]
  if (matches.length === 0) {
    const where = glob === undefined ? 'readable files' : `readable files matching "${glob}"`
    return ok([...lines, `No matches for "${pattern}" in ${where}.`].join('\n'))
  }
  for (const m of matches.slice(0, SEARCH_MAX_MATCHES)) lines.push(`${m.path}:${m.line}: ${cut(m.text)}`)
  const more = matches.length - Math.min(matches.length, SEARCH_MAX_MATCHES)
  if (more > 0)
    lines.push(
      `[${more} more matches are not shown. Use a more specific pattern or a glob such as "src/**/*.ts".]`,
    )
  if (output.truncated)
    lines.push(
      `[git's output passed ${GIT_MAX_BYTES / (1024 * 1024)} MiB and was cut: there are more matches than counted here.]`,
    )
  return ok(lines.join('\n'))
}

/** Reads `path NUL line NUL text LF` records; a record cut off by the output cap is dropped. */
function parseMatches(text: string): Match[] {
  const matches: Match[] = []
  let at = 0
  for (;;) {
    const pathEnd = text.indexOf('\0', at)
    const lineEnd = pathEnd < 0 ? -1 : text.indexOf('\0', pathEnd + 1)
    const textEnd = lineEnd < 0 ? -1 : text.indexOf('\n', lineEnd + 1)
    if (textEnd < 0) return matches
    matches.push({
      path: text.slice(at, pathEnd),
      line: text.slice(pathEnd + 1, lineEnd),
      text: text.slice(lineEnd + 1, textEnd).replace(/\r$/, ''),
    })
    at = textEnd + 1
  }
}

function cut(text: string): string {
  return text.length <= SEARCH_MAX_LINE_CHARS ? text : `${text.slice(0, SEARCH_MAX_LINE_CHARS)} [line cut]`
}
