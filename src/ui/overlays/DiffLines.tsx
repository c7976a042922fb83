import { Text } from 'ink'
import { fit } from '../format.js'

/** The colour of a unified diff line: additions green, removals red, hunks cyan, headers bold. */
export function diffStyle(line: string): { color?: string; bold?: boolean } {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ')) return { bold: true }
  if (line.startsWith('+')) return { color: 'green' }
  if (line.startsWith('-')) return { color: 'red' }
  if (line.startsWith('@@')) return { color: 'cyan' }
  return {}
}

/** Lines of a diff (or any text), coloured as a diff and cut to the width. */
export function DiffLines({ lines, width }: { lines: readonly string[]; width: number }) {
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} {...diffStyle(line)}>
          {fit(line.replace(/\t/g, '  '), width) || ' '}
        </Text>
      ))}
    </>
  )
}
