import { type Binding, KEY_TABLE, keyLabel, type Scope } from './table.js'

/** Where each scope's keys work, in words, for the key map. */
const WHERE: Record<Scope, string> = {
  global: 'anywhere',
  list: 'a list panel',
  approvals: 'Approvals',
  artifacts: 'Artifacts',
  contracts: 'Contracts',
  violations: 'Violations',
  log: 'Log',
  help: 'the help',
  diff: 'a diff',
  input: 'a text input',
  commits: "an artifact's commits",
  violation: 'a violation',
}

/** Where a scope's keys work, in words. */
export function keyMapWhere(scope: Scope): string {
  return WHERE[scope]
}

/** The key map as a Markdown table, as the README shows it; generated so that it never drifts from the keys. */
export function keyMapMarkdown(table: readonly Binding[] = KEY_TABLE): string {
  const rows = table.map((b) => [
    keyLabel(b)
      .split('/')
      .map((k) => `\`${k}\``)
      .join(' '),
    WHERE[b.scope],
    b.description,
  ])
  const widths = [0, 1, 2].map((i) =>
    Math.max(...[['keys', 'where', 'what'], ...rows].map((r) => (r[i] ?? '').length)),
  )
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(['keys', 'where', 'what']), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join(
    '\n',
  )
}
