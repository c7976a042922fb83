import { readFile } from 'node:fs/promises'
import type { PromptRecord } from '../../src/core/agents/prompt-store.js'
import { runPaths } from '../../src/core/run/paths.js'

/** The model calls kept in a prompt file (one JSON line each), in order. */
export async function readPrompts(file: string): Promise<PromptRecord[]> {
  const text = await readFile(file, 'utf8')
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as PromptRecord)
}

/** Every message sent, and the answer, of a run's calls that match `where`, as one text. */
export async function promptText(
  root: string,
  runId: string,
  where: Partial<Pick<PromptRecord, 'stage' | 'visit' | 'agent'>> = {},
): Promise<string> {
  const calls = (await readPrompts(runPaths(root, runId).prompts)).filter((call) =>
    Object.entries(where).every(([key, value]) => call[key as keyof PromptRecord] === value),
  )
  return calls.flatMap((call) => [...call.messages.map((m) => m.content), call.response ?? '']).join('\n')
}
