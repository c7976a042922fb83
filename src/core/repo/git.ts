import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { MacdsError, userError } from '../errors.js'
import { gitFailed, runGit } from '../tools/git.js'

/**
 * Generous limits: a listing of a million paths is about 100 MB. `runGit` runs git without hooks,
 * fsmonitor or the caller's `GIT_*` variables, and without taking optional locks.
 */
const LIMITS = { timeoutMs: 120_000, maxBytes: 1024 * 1024 * 1024 }

/** One entry of the index: `git ls-files -s` prints mode, blob id, stage and path. */
export interface IndexEntry {
  mode: string
  blob: string
  path: string
}

/**
 * The index's listing of the files under `root` (`git ls-files -s -z`, paths relative to `root`):
 * the raw bytes, which key the map cache; `indexEntries` reads them.
 */
export function listIndex(root: string, signal?: AbortSignal): Promise<Buffer> {
  return git(root, ['ls-files', '-s', '-z'], signal)
}

/** The entries of a `listIndex` listing, in its order (by path); a path in conflict is listed once. */
export function indexEntries(listing: Buffer): IndexEntry[] {
  const entries: IndexEntry[] = []
  let previous = ''
  for (const record of listing.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t')
    if (tab < 0) continue
    const path = record.slice(tab + 1)
    if (path === previous) continue // the other stages of a conflicted path
    previous = path
    const [mode = '', blob = ''] = record.slice(0, tab).split(' ')
    entries.push({ mode, blob, path })
  }
  return entries
}

/**
 * The tracked files under `root` whose working-tree state differs from the index, by path: `deleted`, or
 * `modified` (edited, type changed, in conflict, or only touched: git compares file stats here and does
 * not read contents).
 */
export async function worktreeChanges(
  root: string,
  signal?: AbortSignal,
): Promise<Map<string, 'modified' | 'deleted'>> {
  const output = await git(root, ['diff-files', '--name-status', '--relative', '-z'], signal)
  const fields = output.toString('utf8').split('\0')
  const changes = new Map<string, 'modified' | 'deleted'>()
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const path = fields[i + 1] ?? ''
    if (path !== '') changes.set(path, fields[i] === 'D' ? 'deleted' : 'modified')
  }
  return changes
}

/**
 * Runs git in `root` and returns its standard output. A failure is REPO_NOT_GIT when no `.git` is found
 * in `root` or above it (checked on the file system, since git's messages may be translated), else
 * GIT_FAILED with git's message.
 */
async function git(root: string, args: string[], signal?: AbortSignal): Promise<Buffer> {
  if (!existsSync(root)) throw notGit(`${root} does not exist`)
  const output = await runGit(args, { cwd: root, ...LIMITS, signal })
  if (output.code === 0 && !output.truncated && !output.timedOut) return output.stdout
  if (!hasGitAbove(root)) throw notGit(`${root} is not inside a git work tree`)
  if (output.code === 0 || output.timedOut) {
    const why = output.timedOut ? `took more than ${LIMITS.timeoutMs / 1000} s` : 'gave more than 1 GiB'
    throw new MacdsError('GIT_FAILED', `git ${args[0]} ${why} in ${root}`, {
      kind: 'external',
      hint: 'Map a smaller folder of the repository.',
    })
  }
  throw gitFailed(args[0] ?? '', output)
}

function notGit(message: string): MacdsError {
  return userError('REPO_NOT_GIT', message, 'Run macds inside a git repository (`git init` to start one).')
}

/** Whether `dir` or a folder above it has a `.git` (a directory, or a file in a linked work tree). */
function hasGitAbove(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return true
    if (dirname(current) === current) return false
  }
}
