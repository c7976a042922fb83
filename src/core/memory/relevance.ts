/**
 * How much a note bears on a task, 0.2..1:
 *
 *   relevance = 0.2 + 0.5 × tag share + 0.3 × word share
 *
 * - tag share: the fraction of the note's tags that the task names, as one of its tags or as a word
 *   of its text (0 for a note without tags);
 * - word share: the words note and task have in common, over the word count of the shorter of the
 *   two (the overlap coefficient), counting distinct words of three letters or more that are not
 *   common English words.
 *
 * The base of 0.2 lets a strong, recent note that shares nothing with the task (a failure the agent
 * just had) still outrank old, faded ones that happen to share a word.
 */
export const BASE_RELEVANCE = 0.2
const TAG_WEIGHT = 0.5
const WORD_WEIGHT = 0.3

const STOP_WORDS = new Set(
  (
    'the and for with that this from into are was were not but all any can its has have had will ' +
    'should must when then than them they their there what which who how why our out use used ' +
    'you your one also only each more most such some been being over under after before about'
  ).split(' '),
)

const NOT_WORD = /[^\p{L}\p{N}_]+/u

/** The distinct words of a text that count for relevance, in lower case. */
export function wordsOf(text: string): string[] {
  const seen = new Set<string>()
  for (const word of text.toLowerCase().split(NOT_WORD)) {
    if (word.length >= 3 && !STOP_WORDS.has(word)) seen.add(word)
  }
  return [...seen]
}

/** A task prepared for matching: its words, and its tags together with its words. */
export interface TaskTerms {
  words: ReadonlySet<string>
  tagsAndWords: ReadonlySet<string>
}

/** Prepares a task once for matching against many notes. */
export function taskTerms(text: string, tags: readonly string[] = []): TaskTerms {
  const words = new Set(wordsOf(text))
  return { words, tagsAndWords: new Set([...words, ...tags.map(normalTag)]) }
}

/** Tags compare in lower case without surrounding spaces. */
export function normalTag(tag: string): string {
  return tag.trim().toLowerCase()
}

/** The relevance of a note (its distinct words and normal tags) to a prepared task. */
export function relevance(words: readonly string[], tags: readonly string[], task: TaskTerms): number {
  let tagHits = 0
  for (const tag of tags) if (task.tagsAndWords.has(tag)) tagHits++
  let wordHits = 0
  for (const word of words) if (task.words.has(word)) wordHits++
  const tagShare = tags.length === 0 ? 0 : tagHits / tags.length
  const shorter = Math.min(words.length, task.words.size)
  const wordShare = shorter === 0 ? 0 : wordHits / shorter
  return BASE_RELEVANCE + TAG_WEIGHT * tagShare + WORD_WEIGHT * wordShare
}
