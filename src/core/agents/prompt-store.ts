import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
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
  save(record: PromptRecord): Promise<string>
}

/**
 * A store writing `<stage>[-<task>][-v<visit>]-<agent>-<attempt>.json` files into `dir` (readable by the owner only).
 * Every string goes through `redact` first: no secret reaches the disk.
 */
export function createPromptStore(dir: string, redact: Redactor): PromptStore {
  return {
    async save(record) {
      const visit = record.visit === undefined ? '' : `-v${record.visit}`
      const task = record.task === undefined ? '' : `-${record.task}`
      const file = join(dir, `${record.stage}${task}${visit}-${record.agent}-${record.attempt}.json`)
      const text = redact(JSON.stringify(record, null, 2))
      // Written at once, like the memory's appends: a file of a few kilobytes costs a fraction of the
      // three trips through the thread pool (open, write, close) that an asynchronous write takes.
      writeFileSync(file, `${text}\n`, { mode: 0o600 })
      return file
    },
  }
}
