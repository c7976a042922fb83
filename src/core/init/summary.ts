/** Directories with more files than this are shown as a count rather than file by file. */
const LIST_LIMIT = 3

/**
 * Paths relative to the repository grouped for display: a top-level file by name, a directory's few
 * files by path, a directory with many as `dir/ (n files)`. Order follows the first appearance.
 */
export function summarizePaths(paths: readonly string[]): string[] {
  const groups = new Map<string, string[]>()
  for (const path of paths) {
    const slash = path.indexOf('/')
    const key = slash < 0 ? path : path.slice(0, slash + 1)
    groups.set(key, [...(groups.get(key) ?? []), path])
  }
  return [...groups].flatMap(([key, members]) =>
    members.length > LIST_LIMIT ? [`${key} (${members.length} files)`] : members,
  )
}

/** A command's argument vector as a person would type it, quoting arguments that need it. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w./@:+=,-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ')
}
