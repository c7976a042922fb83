import type { ErrorObject } from 'ajv'

/** What a schema error means for the value, and how to fix it. */
export interface SchemaProblem {
  /** JSON pointer to the offending (or missing) value. */
  location: string
  message: string
  suggested_fix: string
}

/** Turns one Ajv error (collected with `verbose: true`) into a message and a fix a model or person can act on. */
export function describeSchemaError(error: ErrorObject): SchemaProblem {
  const at = error.instancePath
  const where = at === '' ? 'the value' : at
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty)
      const property = propertySchema(error.parentSchema, name) ?? propertySchema(error.schema, name)
      const about = describeSchema(property)
      return {
        location: `${at}/${escapePointer(name)}`,
        message: `${where} is missing required property '${name}'`,
        suggested_fix: `Add '${name}'${about ? ` (${about})` : ''} to ${where}`,
      }
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty)
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {})
      const near = closest(name, known)
      return {
        location: `${at}/${escapePointer(name)}`,
        message: `${where} has unknown property '${name}'`,
        suggested_fix: near
          ? `Rename '${name}' to '${near}'`
          : `Remove '${name}'${known.length > 0 ? `; allowed properties: ${known.join(', ')}` : ''}`,
      }
    }
    case 'type':
      return {
        location: at,
        message: `${where} must be ${article(String(params.type))}, not ${jsonType(error.data)}`,
        suggested_fix: `Give ${where} ${article(String(params.type))} value`,
      }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v))
      const near =
        typeof error.data === 'string'
          ? closest(
              error.data,
              allowed.map((v) => JSON.parse(v)),
            )
          : undefined
      return {
        location: at,
        message: `${where} must be one of ${allowed.join(', ')}, not ${JSON.stringify(error.data)}`,
        suggested_fix: near ? `Use ${JSON.stringify(near)}` : `Use one of ${allowed.join(', ')}`,
      }
    }
    case 'const':
      return {
        location: at,
        message: `${where} must be ${JSON.stringify(params.allowedValue)}`,
        suggested_fix: `Set ${where} to ${JSON.stringify(params.allowedValue)}`,
      }
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return {
        location: at,
        message: `${where} ${error.message}`,
        suggested_fix: `Add to ${where}: it ${error.message}`,
      }
    case 'maxItems':
    case 'maxLength':
    case 'maxProperties':
      return {
        location: at,
        message: `${where} ${error.message}`,
        suggested_fix: `Shorten ${where}: it ${error.message}`,
      }
    case 'pattern':
      return {
        location: at,
        message: `${where} must match the pattern ${String(params.pattern)}`,
        suggested_fix: `Rewrite ${where} so that it matches ${String(params.pattern)}`,
      }
    default:
      return {
        location: at,
        message: `${where} ${error.message ?? 'is invalid'}`,
        suggested_fix: `Change ${where} so that it ${error.message ?? 'is valid'}`,
      }
  }
}

/** The known name nearest to `name` when it is close enough to be a likely typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
    }
    previous = current
  }
  return previous[b.length]!
}

function propertySchema(schema: unknown, name: string): Record<string, unknown> | undefined {
  const properties = (schema as { properties?: Record<string, Record<string, unknown>> } | undefined)
    ?.properties
  return properties?.[name]
}

function describeSchema(schema: Record<string, unknown> | undefined): string {
  if (!schema) return ''
  const parts: string[] = []
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  else if (schema.type !== undefined) parts.push([schema.type].flat().join(' or '))
  if (typeof schema.description === 'string') parts.push(schema.description)
  return parts.join(': ')
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (Number.isInteger(value)) return 'an integer'
  return article(typeof value)
}

function article(type: string): string {
  const words = type.split(',').map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
  return words.join(' or ')
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}
