/** What `macds init` keeps out of git: runtime state and the memory scopes that stay on one machine. */
export const LOCAL_PATTERNS = ['.macds/', 'memory/working*', 'memory/failure*'] as const

const LOCAL_HEADER =
  '# macds: local runtime state, and the working and failure memory that stay on this machine'
const REINCLUDE_HEADER = '# macds: files that belong in the history although a pattern above ignores them'

/** The new text of a .gitignore and the lines added to it; `added` is empty when it needs no change. */
export interface GitignoreUpdate {
  text: string
  added: string[]
}

/**
 * Adds the local patterns, and `!path` for each path given as wrongly ignored, to a .gitignore
 * (undefined: there is none yet). Lines already there, with or without a leading or trailing slash,
 * are not added again; the existing text is kept as it is.
 */
export function updateGitignore(
  existing: string | undefined,
  reinclude: readonly string[] = [],
): GitignoreUpdate {
  const text = existing ?? ''
  const present = new Set(text.split(/\r?\n/).map(normalize))
  const missing = (lines: readonly string[]) => lines.filter((line) => !present.has(normalize(line)))
  const local = missing(LOCAL_PATTERNS)
  const back = missing(reinclude.map((path) => `!${path}`))
  const blocks = [
    ...(local.length > 0 ? [[LOCAL_HEADER, ...local]] : []),
    ...(back.length > 0 ? [[REINCLUDE_HEADER, ...back]] : []),
  ]
  const added = [...local, ...back]
  if (added.length === 0) return { text, added }
  const separator = text === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n'
  return { text: `${text}${separator}${blocks.map((b) => `${b.join('\n')}\n`).join('\n')}`, added }
}

function normalize(line: string): string {
  const trimmed = line.trim()
  const negated = trimmed.startsWith('!')
  const pattern = (negated ? trimmed.slice(1) : trimmed).replace(/^\//, '').replace(/\/$/, '')
  return negated ? `!${pattern}` : pattern
}
