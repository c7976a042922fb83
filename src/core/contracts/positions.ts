import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'

/** A 1-based line and column in a source file. */
export interface Position {
  line: number
  col: number
}

/** A parsed YAML source that can answer "where is this JSON pointer?". */
export interface SourceMap {
  text: string
  doc: Document
  lines: LineCounter
}

/** Parses YAML keeping positions: slower than a plain load, so used when a problem must be located. */
export function sourceMapOf(text: string): SourceMap {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  return { text, doc, lines }
}

/** Splits a JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/**
 * The position of the node at `pointer`. Where the path goes further than the document
 * (a missing property), the deepest node that exists. With `key`, the position of the key itself.
 */
export function locate(source: SourceMap, pointer: string, options: { key?: string } = {}): Position {
  let node: Node | null = source.doc.contents
  let offset = node?.range?.[0] ?? 0
  const segments = pointerSegments(pointer)
  if (options.key !== undefined) segments.push(options.key)
  for (const [i, segment] of segments.entries()) {
    const isLast = i === segments.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment)
      if (!pair) break
      const keyNode = pair.key as Node
      if (isLast && options.key !== undefined) return position(source, keyNode.range?.[0] ?? offset)
      node = (pair.value as Node | null) ?? keyNode
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)]
      if (item === undefined || isPair(item)) break
      node = item as Node
    } else {
      break
    }
    offset = node.range?.[0] ?? offset
  }
  return position(source, offset)
}

/**
 * The position of a character inside the string scalar at `pointer`: where the text of `value` appears
 * verbatim in the source (plain, quoted without escapes, or block scalars), else the scalar's start.
 */
export function locateInString(source: SourceMap, pointer: string, value: string, index: number): Position {
  const node = source.doc.getIn(pointerSegments(pointer), true) as Node | undefined
  const range = node?.range
  if (!range) return locate(source, pointer)
  const raw = source.text.slice(range[0], range[1])
  const at = raw.indexOf(value)
  return position(source, at >= 0 ? range[0] + at + index : range[0])
}

/** Searches the subtree at `pointer` for a mapping key named `key` (for errors that name a keyword, not a path). */
export function locateKeyAnywhere(source: SourceMap, pointer: string, key: string): Position | undefined {
  const root = source.doc.getIn(pointerSegments(pointer), true) as Node | undefined
  const found = findKey(root, key)
  return found === undefined ? undefined : position(source, found)
}

function findKey(node: unknown, key: string): number | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0]
      const inner = findKey(pair.value, key)
      if (inner !== undefined) return inner
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findKey(item, key)
      if (inner !== undefined) return inner
    }
  }
  return undefined
}

/** Converts a character offset to a 1-based line and column. */
export function position(source: SourceMap, offset: number): Position {
  const { line, col } = source.lines.linePos(offset)
  return { line, col }
}
