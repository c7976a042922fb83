/**
 * Lines of a plain-text table: columns padded to their widest cell, two spaces apart. Columns
 * listed in `right` are right-aligned (numbers).
 */
export function table(rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const widths = rows.reduce<number[]>(
    (acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)),
    [],
  )
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1
        if (right.includes(i)) return cell.padStart(widths[i] ?? 0)
        return last ? cell : cell.padEnd(widths[i] ?? 0)
      })
      .join('  '),
  )
}
