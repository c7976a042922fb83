/**
 * Beyond this many differing lines the exact count is not worth the time: every line of the changed
 * region counts as deleted, which errs towards asking a person.
 */
const MAX_DIFFERENCES = 4000

/** How many lines a text has; a final line end does not start another line. */
export function lineCount(text: string): number {
  return splitLines(text).length
}

/**
 * How many lines of `before` are not in `after`: the deletions of a shortest line diff (lines that
 * moved count as deleted and added).
 */
export function deletedLines(before: string, after: string): number {
  const a = splitLines(before)
  const b = splitLines(after)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const oldPart = a.slice(start, endA)
  const newPart = b.slice(start, endB)
  if (oldPart.length === 0 || newPart.length === 0) return oldPart.length
  const distance = editDistance(oldPart, newPart, MAX_DIFFERENCES)
  if (distance === undefined) return oldPart.length
  return (distance + oldPart.length - newPart.length) / 2
}

function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/**
 * The number of single-line insertions and deletions that turn `a` into `b` (Myers' greedy algorithm),
 * or undefined when it is above `limit`.
 */
function editDistance(a: readonly string[], b: readonly string[], limit: number): number | undefined {
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, limit)
  const offset = max + 1
  const furthest = new Int32Array(2 * max + 3)
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!)
      let x = down ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      furthest[offset + k] = x
      if (x >= n && y >= m) return d
    }
  }
  return undefined
}

/**
 * Lines a file change deletes: all lines of a deleted file (`after` undefined), none of a created one
 * (`before` undefined), else the deleted lines of the diff.
 */
export function deletedByChange(before: Buffer | undefined, after: string | undefined): number {
  if (before === undefined) return 0
  const old = before.toString('utf8')
  return after === undefined ? lineCount(old) : deletedLines(old, after)
}
