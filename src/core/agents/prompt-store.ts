import { closeSync, openSync, writeSync } from 'node:fs'
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

/** The file is closed after this long without a call, and opened again by the next one. */
const IDLE_CLOSE_MS = 1000
/** How many distinct system messages are kept serialized (an agent's is the same on every call). */
const KEPT_SYSTEM_MESSAGES = 32

/**
 * A store appending each call as one JSON line to `file` (readable by the owner only; its directory
 * must exist): the record's fields, then its messages. Every string goes through `redact` first: no
 * secret reaches the disk.
 *
 * One file per run, not one per call: creating a file costs the filesystem an inode, which on a
 * well-used disk is a hundred times an append. The file stays open while calls come, and an agent's
 * system message, the same long text on every call, is serialized and masked once.
 */
export function createPromptStore(file: string, redact: Redactor): PromptStore {
  let fd: number | undefined
  let idle: NodeJS.Timeout | undefined
  const systems = new Map<string, string>()

  const message = (m: ChatMessage): string => {
    if (m.role !== 'system') return redact(JSON.stringify(m))
    let text = systems.get(m.content)
    if (text === undefined) {
      if (systems.size >= KEPT_SYSTEM_MESSAGES) systems.clear()
      text = redact(JSON.stringify(m))
      systems.set(m.content, text)
    }
    return text
  }

  const close = () => {
    idle = undefined
    if (fd !== undefined) closeSync(fd)
    fd = undefined
  }

  return {
    save(record) {
      const { messages, ...rest } = record
      const fields = redact(JSON.stringify(rest))
      const line = `${fields.slice(0, -1)},"messages":[${messages.map(message).join(',')}]}\n`
      const bytes = Buffer.from(line)
      fd ??= openSync(file, 'a', 0o600)
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at)
      if (idle) idle.refresh()
      else idle = setTimeout(close, IDLE_CLOSE_MS).unref()
    },
  }
}
