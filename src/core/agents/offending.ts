import type { Violation } from '../contracts/types.js'

/** How much of an offending value a violation event carries. */
const VALUE_CHARS = 200

/**
 * The value each violation points at, as JSON cut to a few hundred characters, so that a person
 * sees what was wrong without the whole answer; the text itself when the answer was not JSON.
 */
export function offendingValues(violations: readonly Violation[], value: unknown, text: string): string[] {
  return violations.map((v) => {
    if (value === undefined) return cut(text)
    const found = at(value, v.location)
    return found === undefined ? '' : cut(JSON.stringify(found))
  })
}

/** The value at a JSON pointer, or undefined when the pointer leads nowhere. */
function at(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root
  let node: unknown = root
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

function cut(text: string): string {
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text
}
