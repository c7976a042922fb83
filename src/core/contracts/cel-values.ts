/**
 * Operations on JSON values with CEL's meaning, for the compiled conditions of cel-fast.ts: field
 * access that fails on a missing key, equality that is deep and crosses int and double, sizes in
 * code points, and the errors CEL raises where an operation has no overload.
 */

/** Thrown when an expression cannot be evaluated on a value (a missing key, a wrong type). */
export class CelRuntimeError extends Error {}

/** Raises a CEL evaluation error. */
export const fail = (message: string): never => {
  throw new CelRuntimeError(message)
}

export function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern)
  } catch (error) {
    return fail(`invalid regular expression: ${(error as Error).message}`)
  }
}

/** `value.name`: a map's entry; a missing key or a value that is not a map is an error. */
export function field(value: unknown, name: string): unknown {
  if (!isMap(value)) return fail(`cannot select field '${name}' from ${typeName(value)}`)
  if (!Object.hasOwn(value, name) || value[name] === undefined) return fail(`No such key: ${name}`)
  return value[name]
}

/** `value[key]`: a list element by integer index, or a map entry by string key. */
export function index(value: unknown, key: unknown): unknown {
  if (Array.isArray(value)) {
    const i = typeof key === 'bigint' ? Number(key) : key
    if (typeof i !== 'number' || !Number.isInteger(i))
      return fail(`list index must be an integer, got ${typeName(key)}`)
    if (i < 0 || i >= value.length) return fail(`index out of bounds: ${i}`)
    return value[i]
  }
  if (isMap(value) && typeof key === 'string') return field(value, key)
  return fail(`cannot index ${typeName(value)} with ${typeName(key)}`)
}

/** `a + b` for two numbers of one kind, two strings or two lists. */
export function add(a: unknown, b: unknown): unknown {
  if (isNumber(a) && typeof a === typeof b) return (a as number) + (b as number)
  if (typeof a === 'string' && typeof b === 'string') return a + b
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b]
  return fail(`no such overload: ${typeName(a)} + ${typeName(b)}`)
}

/** `item in container`: list membership by CEL equality, or a map key. */
export function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) {
    for (const element of container) if (equal(element, item)) return true
    return false
  }
  if (isMap(container)) return typeof item === 'string' && Object.hasOwn(container, item)
  return fail(`no such overload: ${typeName(item)} in ${typeName(container)}`)
}

/** The elements of a list of lists, one level deep (Array.prototype.flat is several times slower). */
export function flattenOnce(items: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  for (const item of items) {
    if (Array.isArray(item)) for (const inner of item) out.push(inner)
    else out.push(item)
  }
  return out
}

/** CEL equality over JSON values: deep for lists and maps, false across types. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  // Loose equality compares an int (BigInt) with a double.
  if (isNumber(a) && isNumber(b)) return a == b
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]))
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
    )
  }
  return false
}

/** `size(value)` as an int: code points of a string, elements of a list, entries of a map. */
export function sizeOf(value: unknown): bigint {
  if (typeof value === 'string') {
    let n = 0
    for (const _ of value) n++
    return BigInt(n)
  }
  if (Array.isArray(value)) return BigInt(value.length)
  if (isMap(value)) return BigInt(Object.keys(value).length)
  return fail(`found no matching overload for 'size(${typeName(value)})'`)
}

/** What a comprehension iterates: a list's elements or a map's keys. */
export function iterable(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (isMap(value)) return Object.keys(value)
  return fail(`cannot iterate over ${typeName(value)}`)
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Type guards that raise CEL's error when the value has another type. */
export function bool(value: unknown): boolean {
  return typeof value === 'boolean' ? value : fail(`expected a bool, got ${typeName(value)}`)
}

export function num(value: unknown): number | bigint {
  return isNumber(value) ? value : fail(`expected a number, got ${typeName(value)}`)
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : fail(`expected a string, got ${typeName(value)}`)
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : fail(`expected a list, got ${typeName(value)}`)
}

/** The CEL type name of a JSON value (numbers from data are doubles, BigInts ints). */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return 'map'
  if (typeof value === 'number') return 'double'
  if (typeof value === 'bigint') return 'int'
  return typeof value === 'boolean' ? 'bool' : typeof value
}

export function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint'
}
