/** The rows of a list that fit in `rows`, scrolled so that the cursor is visible. */
export function window<T>(items: readonly T[], cursor: number, rows: number): { start: number; items: T[] } {
  const start = Math.min(Math.max(0, cursor - rows + 1), Math.max(0, items.length - rows))
  return { start: Math.max(0, start), items: items.slice(Math.max(0, start), Math.max(0, start) + rows) }
}
