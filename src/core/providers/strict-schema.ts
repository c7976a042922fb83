/**
 * Keywords OpenAI's strict structured output is known to accept. The list is deliberately
 * conservative: a schema with anything else is sent non-strict rather than refused by the server.
 */
const STRICT_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'description',
  '$ref',
  '$defs',
  'definitions',
  'title',
])

/**
 * Whether a JSON Schema fits OpenAI's strict structured-output subset: the root is an object, every
 * object forbids additional properties and requires all of its properties, and only keywords of a
 * conservative allowlist occur. Used to decide `strict: true`, which servers reject for schemas
 * outside the subset (minLength, pattern, format, oneOf...).
 */
export function fitsStrictSubset(schema: Record<string, unknown>): boolean {
  return hasType(schema, 'object') && fitsNode(schema)
}

function fitsNode(node: unknown): boolean {
  if (!isRecord(node)) return false
  if (Object.keys(node).some((key) => !STRICT_KEYWORDS.has(key))) return false
  if (isObjectNode(node) && !closesObject(node)) return false
  return subschemas(node).every(fitsNode)
}

function isObjectNode(node: Record<string, unknown>): boolean {
  return hasType(node, 'object') || 'properties' in node
}

/** An object is closed when it forbids extra properties and requires every property it lists. */
function closesObject(node: Record<string, unknown>): boolean {
  if (node.additionalProperties !== false) return false
  const properties = node.properties ?? {}
  if (!isRecord(properties) || !Array.isArray(node.required)) return false
  const required = new Set(node.required)
  return Object.keys(properties).every((name) => required.has(name))
}

/** The schemas nested in a node; anything shaped otherwise makes the check fail. */
function subschemas(node: Record<string, unknown>): unknown[] {
  const nested: unknown[] = []
  for (const key of ['properties', '$defs', 'definitions']) {
    if (key in node) nested.push(...(isRecord(node[key]) ? Object.values(node[key]) : [undefined]))
  }
  if ('items' in node) nested.push(node.items)
  if ('anyOf' in node) nested.push(...(Array.isArray(node.anyOf) ? node.anyOf : [undefined]))
  return nested
}

function hasType(node: Record<string, unknown>, type: string): boolean {
  return node.type === type || (Array.isArray(node.type) && node.type.includes(type))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
