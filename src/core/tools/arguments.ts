import type { Checked } from './paths.js'
import type { ParameterSchema, ToolDefinition } from './definitions.js'

/**
 * The arguments of a call to `definition`, checked against its parameters: `raw` may be an object or
 * the JSON text of one (as models send it). Optional (nullable) arguments may be null or left out; an
 * integer may come as a string of digits. Every refusal says what to send instead.
 */
export function checkArguments(
  definition: ToolDefinition['function'],
  raw: unknown,
): Checked<Record<string, unknown>> {
  const { name, parameters } = definition
  const parsed = parseRaw(raw)
  if (!parsed.ok)
    return { ok: false, error: `The arguments of ${name} ${parsed.error} ${example(definition)}` }
  const args: Record<string, unknown> = {}
  const known = Object.keys(parameters.properties)
  for (const key of Object.keys(parsed.value)) {
    if (!known.includes(key))
      return {
        ok: false,
        error: `${name} has no argument "${key}"; its arguments are ${known.join(', ')}. ${example(definition)}`,
      }
  }
  for (const [key, schema] of Object.entries(parameters.properties)) {
    const value = checkValue(schema, parsed.value[key])
    if (!value.ok)
      return { ok: false, error: `The argument "${key}" of ${name} ${value.error} (${schema.description})` }
    args[key] = value.value
  }
  return { ok: true, value: args }
}

function parseRaw(raw: unknown): Checked<Record<string, unknown>> {
  let value = raw
  if (typeof raw === 'string') {
    if (raw.trim() === '') value = {}
    else {
      try {
        value = JSON.parse(raw)
      } catch (error) {
        return { ok: false, error: `are not valid JSON (${(error as Error).message}).` }
      }
    }
  }
  if (value === undefined || value === null) value = {}
  if (typeof value !== 'object' || Array.isArray(value))
    return {
      ok: false,
      error: `must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}.`,
    }
  return { ok: true, value: value as Record<string, unknown> }
}

function checkValue(schema: ParameterSchema, value: unknown): Checked<unknown> {
  const types: readonly string[] = Array.isArray(schema.type) ? schema.type : [schema.type]
  const nullable = types.includes('null')
  if (value === undefined || value === null)
    return nullable ? { ok: true, value: null } : { ok: false, error: `is missing; it is required` }
  if (types.includes('string')) {
    if (typeof value === 'string') return { ok: true, value }
    return { ok: false, error: `must be a string${nullable ? ' or null' : ''}, not ${show(value)}` }
  }
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value
  if (typeof number === 'number' && Number.isSafeInteger(number)) return { ok: true, value: number }
  return { ok: false, error: `must be a whole number${nullable ? ' or null' : ''}, not ${show(value)}` }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 60)}...` : text
}

const EXAMPLE_VALUES: Record<string, unknown> = {
  glob: 'src/**/*.ts',
  path: 'src/index.ts',
  pattern: 'loadConfig',
}

function example(definition: ToolDefinition['function']): string {
  const args = Object.fromEntries(
    Object.entries(definition.parameters.properties).map(([key, schema]) => [
      key,
      Array.isArray(schema.type) ? null : (EXAMPLE_VALUES[key] ?? ''),
    ]),
  )
  return `Send a JSON object such as ${JSON.stringify(args)}.`
}
