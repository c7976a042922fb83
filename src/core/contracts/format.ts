import type { ContractIssue, Violation } from './types.js'

/**
 * `file:line:col  message` followed by a short code frame (the line before, the line, a caret)
 * when the source text is known. Paths are shown as given; callers make them relative.
 */
export function formatIssue(issue: ContractIssue, source?: string, shownPath: string = issue.file): string {
  const rule = issue.rule_id ? ` [${issue.rule_id}]` : ''
  const head = `${shownPath}:${issue.line}:${issue.col}  ${issue.message}${rule} (${issue.code})`
  const lines = [head]
  if (source !== undefined) lines.push(...codeFrame(source, issue.line, issue.col))
  if (issue.hint) lines.push(`  hint: ${issue.hint}`)
  return lines.join('\n')
}

/** A few lines of `source` around a 1-based line and column, with a caret under the column. */
export function codeFrame(source: string, line: number, col: number, before = 1): string[] {
  const all = source.split('\n')
  const first = Math.max(1, line - before)
  const width = String(line).length
  const out: string[] = []
  for (let n = first; n <= Math.min(line, all.length); n++) {
    const marker = n === line ? '>' : ' '
    out.push(`  ${marker} ${String(n).padStart(width)} | ${all[n - 1] ?? ''}`)
  }
  if (line <= all.length) out.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`)
  return out
}

/** One violation as two lines: what is wrong where, and the suggested fix. */
export function formatViolation(v: Violation): string {
  const where = v.location === '' ? '(root)' : v.location
  return `${v.severity.padEnd(7)} ${v.rule_id}  ${where}: ${v.message}\n        fix: ${v.suggested_fix}`
}
