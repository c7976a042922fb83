import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** A person's answer to a gate or an escalation, left for the process running the run. */
export interface Answer {
  id: string
  decision: 'approve' | 'reject'
  reason?: string
  by: string
}

/**
 * Leaves an answer in the run's answers directory (written to a temporary name, then renamed, so a
 * reader never sees half a file). The running process picks it up and records it in the event log,
 * which has a single writer.
 */
export async function writeAnswer(dir: string, answer: Answer): Promise<void> {
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${answer.id}.json`)
  await writeFile(`${file}.tmp`, JSON.stringify(answer), { mode: 0o600 })
  await rename(`${file}.tmp`, file)
}

/** The answers waiting in a run's answers directory, by id. */
export async function readAnswers(dir: string): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>()
  if (!existsSync(dir)) return answers
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue
    try {
      const answer = JSON.parse(await readFile(join(dir, name), 'utf8')) as Answer
      answers.set(answer.id, answer)
    } catch {
      // A file being replaced is read again on the next poll.
    }
  }
  return answers
}
