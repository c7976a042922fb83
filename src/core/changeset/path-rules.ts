import type { EntryProblem } from './types.js'

const EXAMPLE = 'Give a path relative to the repository root with forward slashes, such as "src/login.ts".'
/** Longer paths are refused: no source file needs them. */
const MAX_CHARS = 1000
/** Most file systems refuse longer names. */
const MAX_SEGMENT_BYTES = 255
/**
 * Characters HFS+ ignores in names, so that `.g\u200cit` is `.git` there; git refuses them for the
 * same reason.
 */
const IGNORABLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Why a ChangeSet path may not be written, judged on its text alone, or undefined when it is a plain
 * work-tree-relative file path. Paths must already be canonical (forward slashes, no empty, `.` or
 * `..` segments) rather than being normalized here, so that the path checked, the path written and the
 * path committed are the same text.
 */
export function pathProblem(path: unknown): EntryProblem | undefined {
  if (typeof path !== 'string' || path === '')
    return problem('The path is empty.', `${EXAMPLE} Every entry names one file.`)
  if (path.includes('\0')) return problem(`The path "${shown(path)}" contains a NUL character.`, EXAMPLE)
  const control = CONTROL.exec(path)
  if (control)
    return problem(
      `The path "${shown(path)}" contains the control character U+${code(control[0])}.`,
      `Remove it. ${EXAMPLE}`,
    )
  if (path.length > MAX_CHARS)
    return problem(`The path is ${path.length} characters long; at most ${MAX_CHARS} are accepted.`, EXAMPLE)
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path))
    return problem(`"${path}" is an absolute path; only files inside the work tree can be written.`, EXAMPLE)
  const parts = path.split(/[\\/]/)
  if (parts[0] === '~')
    return problem(`"${path}" points into a home directory; only the work tree can be written.`, EXAMPLE)
  if (parts.includes('..'))
    return problem(
      `"${path}" contains a ".." segment; paths may not step out of the directory they name.`,
      `Write the path from the repository root without "..". ${EXAMPLE}`,
    )
  if (path.includes('\\'))
    return problem(
      `"${path}" contains a backslash; paths use forward slashes only.`,
      `Write it as "${canonical(parts)}".`,
    )
  if (parts.some((s) => s === '' || s === '.')) {
    const fixed = canonical(parts)
    return problem(
      `"${path}" has an empty or "." segment (a doubled, leading "./" or trailing slash).`,
      fixed === '' ? `Name a file. ${EXAMPLE}` : `Write it as "${fixed}".`,
    )
  }
  const long = parts.find((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES)
  if (long !== undefined)
    return problem(
      `A segment of "${path}" is ${Buffer.byteLength(long)} bytes long; file systems accept at most ${MAX_SEGMENT_BYTES}.`,
      'Use a shorter file or directory name.',
    )
  const reserved = parts.map(reservedName).find((name) => name !== undefined)
  if (reserved !== undefined)
    return {
      rule: 'CS-RESERVED',
      field: '/path',
      message: `"${path}" is inside ${reserved}, which ${reserved === '.git' ? "is git's own directory" : "holds macds's runtime state"}; no agent writes there.`,
      fix: `Leave "${path}" out of the ChangeSet; change only the project's files.`,
    }
  return undefined
}

/**
 * `.git` or `.macds` when a path segment names one of them on some file system: in any letter case,
 * with trailing dots or spaces (Windows drops them), with characters HFS+ ignores, or as the 8.3
 * short name Windows gives them.
 */
export function reservedName(segment: string): '.git' | '.macds' | undefined {
  const bare = segment
    .replace(IGNORABLE, '')
    .replace(/[. ]+$/, '')
    .toLowerCase()
  if (bare === '.git' || bare === 'git~1') return '.git'
  if (bare === '.macds' || bare === 'macds~1') return '.macds'
  return undefined
}

function problem(message: string, fix: string): EntryProblem {
  return { rule: 'CS-PATH', field: '/path', message, fix }
}

function canonical(parts: string[]): string {
  return parts.filter((s) => s !== '' && s !== '.').join('/')
}

function shown(path: string): string {
  return JSON.stringify(path).slice(1, -1)
}

function code(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
}
