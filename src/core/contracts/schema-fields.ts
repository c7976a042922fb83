import { closest } from './suggest.js'

type Schema = Record<string, unknown>

/**
 * Follows `fields` through a JSON Schema's `properties` and reports the first field the schema
 * cannot have (an object with `additionalProperties: false` and no such property).
 * Stops silently where the schema is not specific enough to say (combinators, maps, arrays).
 */
export function unknownField(
  schema: Schema,
  fields: string[],
): { index: number; field: string; known: string[] } | undefined {
  let current: Schema | undefined = schema
  for (const [index, field] of fields.entries()) {
    current = resolveRef(schema, current)
    if (!current) return undefined
    const properties = current.properties as Record<string, Schema> | undefined
    const next = properties?.[field]
    if (next !== undefined) {
      current = next
      continue
    }
    const closed = current.additionalProperties === false && current.patternProperties === undefined
    if (properties && closed) return { index, field, known: Object.keys(properties) }
    return undefined
  }
  return undefined
}

/** A one-line explanation for an unknown field, with the nearest known name when there is one. */
export function describeUnknownField(
  root: string,
  fields: string[],
  found: { index: number; field: string; known: string[] },
): string {
  const path = [root, ...fields.slice(0, found.index + 1)].join('.')
  const near = closest(found.field, found.known)
  const guess = near ? ` (did you mean '${near}'?)` : ''
  return `${path}: the schema has no property '${found.field}'${guess}`
}

function resolveRef(root: Schema, schema: Schema | undefined): Schema | undefined {
  let current = schema
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++) {
    const ref: string = current.$ref
    if (!ref.startsWith('#/')) return undefined
    let target: unknown = root
    for (const segment of ref.slice(2).split('/')) {
      target = (target as Schema | undefined)?.[segment.replaceAll('~1', '/').replaceAll('~0', '~')]
    }
    current = target as Schema | undefined
  }
  return current
}
