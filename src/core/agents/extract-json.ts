/** What was found in a model's answer. */
export type Extracted =
  { ok: true; value: unknown; from: 'whole' | 'fence' | 'balanced' } | { ok: false; reason: string }

/**
 * Finds the JSON value in a model's answer: the whole text, else the first fenced block that parses
 * (```json or a bare fence), else the first balanced object or array in the prose around it.
 */
export function extractJson(text: string): Extracted {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, reason: 'the answer is empty' }
  const whole = tryParse(trimmed)
  if (whole.ok) return { ok: true, value: whole.value, from: 'whole' }
  for (const block of fencedBlocks(text)) {
    const parsed = tryParse(block)
    if (parsed.ok) return { ok: true, value: parsed.value, from: 'fence' }
  }
  for (let start = firstOpening(text, 0); start >= 0; start = firstOpening(text, start + 1)) {
    const end = balancedEnd(text, start)
    if (end < 0) continue
    const parsed = tryParse(text.slice(start, end + 1))
    if (parsed.ok) return { ok: true, value: parsed.value, from: 'balanced' }
  }
  return { ok: false, reason: `no JSON value could be read from the answer (${whole.reason})` }
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}

function fencedBlocks(text: string): string[] {
  const blocks: string[] = []
  for (const match of text.matchAll(/```[\w-]*[^\S\n]*\n([\s\S]*?)```/g)) blocks.push(match[1] ?? '')
  return blocks
}

function firstOpening(text: string, from: number): number {
  const brace = text.indexOf('{', from)
  const bracket = text.indexOf('[', from)
  if (brace < 0) return bracket
  if (bracket < 0) return brace
  return Math.min(brace, bracket)
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when it never closes. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = []
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') stack.push('}')
    else if (c === '[') stack.push(']')
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1
      if (stack.length === 0) return i
    }
  }
  return -1
}
