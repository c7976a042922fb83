import { appendFileSync } from 'node:fs'
import type { ChatMessage, TokenUsage } from '../providers/types.js'
import type { Redactor } from '../secrets.js'

/** One model call as kept on disk: the conversation sent and what came back. */
export interface PromptRecord {
  agent: string
  stage: string
  task?: string
  visit?: number
  attempt: number
  model: string
  messages: ChatMessage[]
  response?: string
  usage?: TokenUsage
  error?: string
}

/** Keeps every prompt and raw answer of a run, secrets masked, for audit and debugging. */
export interface PromptStore {
  save(record: PromptRecord): void
}

/**
 * A store appending each call as one JSON line to `file` (readable by the owner only; its directory
 * must exist). Every string goes through `redact` first: no secret reaches the disk.
 *
 * One file per run, not one per call: appending to an open-ended file costs a few microseconds,
 * while creating a file costs the filesystem an inode each time, which on a well-used disk is a
 * hundred times more. Written at once, like the event log and the memory's appends.
 */
export function createPromptStore(file: string, redact: Redactor): PromptStore {
  return {
    save(record) {
      appendFileSync(file, `${redact(JSON.stringify(record))}\n`, { mode: 0o600 })
    },
  }
}
