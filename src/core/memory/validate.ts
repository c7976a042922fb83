import { closest } from '../contracts/suggest.js'
import { userError } from '../errors.js'
import { MEMORY_SCOPES, type MemoryScope, type NewMemoryEntry } from './types.js'

/** A note to remember, checked and tidied: trimmed content, distinct non-empty tags. */
export type CheckedEntry = Required<
  Pick<NewMemoryEntry, 'scope' | 'agent' | 'content' | 'tags' | 'confidence'>
> &
  Pick<NewMemoryEntry, 'source'>

/** The scope a person or a model named; a user error (MEMORY_SCOPE_UNKNOWN) for any other word. */
export function parseScope(text: string): MemoryScope {
  if ((MEMORY_SCOPES as readonly string[]).includes(text)) return text as MemoryScope
  const near = closest(text, MEMORY_SCOPES)
  throw userError(
    'MEMORY_SCOPE_UNKNOWN',
    `'${text}' is not a memory scope`,
    `${near ? `Did you mean '${near}'? ` : ''}Use one of: ${MEMORY_SCOPES.join(', ')}.`,
  )
}

/** A confidence from 0 to 1; a user error (MEMORY_CONFIDENCE_INVALID) otherwise. */
export function parseConfidence(value: string | number): number {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value)
  if (Number.isFinite(number) && number >= 0 && number <= 1) return number
  throw userError(
    'MEMORY_CONFIDENCE_INVALID',
    `confidence '${value}' is not a number from 0 to 1`,
    'Give how sure the note is as a number from 0 to 1, such as 0.8.',
  )
}

/** Checks a note before it is written: a known scope, a confidence in 0..1, an agent, some content. */
export function checkNewEntry(input: NewMemoryEntry): CheckedEntry {
  const scope = parseScope(input.scope)
  const confidence = parseConfidence(input.confidence)
  const content = input.content.trim()
  if (content === '')
    throw userError('MEMORY_CONTENT_EMPTY', 'a memory note needs some content', 'Write what to remember.')
  const agent = input.agent.trim()
  if (agent === '' || /\s/.test(agent))
    throw userError(
      'MEMORY_AGENT_INVALID',
      `'${input.agent}' is not an agent id`,
      "Name an agent id such as implementation, or 'all' for every agent.",
    )
  const tags = [...new Set((input.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''))]
  const checked: CheckedEntry = { scope, agent, content, tags, confidence }
  if (input.source) checked.source = input.source
  return checked
}
