import { type FileHandle, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { MacdsError } from '../errors.js'
import { type LoggedEvent, ioError, scanEventLogEnd } from './event-file.js'

export { type LoggedEvent, readEventLog, replayEventLog } from './event-file.js'

/** Buffered text is cut into pieces of about this many characters, each written by one call. */
const PIECE_CHARS = 4 * 1024 * 1024

/**
 * The append-only log of one run (`events.jsonl`, one JSON object per line), from which the run's
 * state is rebuilt after a crash. It knows nothing of event types: it numbers and timestamps whatever
 * has a `type`, buffers it, and writes the buffer in batches, in append order.
 *
 * `append` is synchronous and cheap; nothing is on disk until a flush. A flush runs by itself once the
 * current turn of the event loop ends, but callers must `await flush()` at every stage boundary and
 * before any irreversible effect, so that the log never lags behind the world. After a write error the
 * instance is broken for good (a partly written batch must not be followed by more lines): every later
 * flush rejects with that error, and the run has to be reopened, which repairs the torn tail.
 */
export class EventLog {
  readonly file: string
  private readonly handle: FileHandle
  private seq: number
  private lines: string[] = []
  private lineChars = 0
  private pieces: string[] = []
  private writes: Promise<void> = Promise.resolve()
  private failure: MacdsError | undefined
  private scheduled: NodeJS.Immediate | undefined
  private closing: Promise<void> | undefined
  /** The fsync of the directory entry, started when the log opens so that the final durable flush rarely waits for it. */
  private dirSync: Promise<void> | undefined
  private closed = false
  private tsMs = Number.NaN
  private tsText = ''

  private constructor(
    file: string,
    handle: FileHandle,
    lastSeq: number,
    private readonly redact: ((line: string) => string) | undefined,
  ) {
    this.file = file
    this.handle = handle
    this.seq = lastSeq
  }

  /**
   * Opens a log for appending, creating its directories and the file if needed. An existing log is
   * read (its end only, when that is intact) to continue the seq numbering, and a torn last line left by
   * a crash is cut off, so that the next append starts on a clean line. A log damaged in the middle is
   * refused with EVENT_LOG_CORRUPT rather than appended to.
   */
  static async open(file: string, options: { redact?: (line: string) => string } = {}): Promise<EventLog> {
    let handle: FileHandle
    try {
      await mkdir(dirname(file), { recursive: true })
      // 'a+': appends (O_APPEND) through the same descriptor that reads the end and truncates it.
      handle = await open(file, 'a+', 0o600)
    } catch (error) {
      throw ioError('open', file, error)
    }
    try {
      const end = await scanEventLogEnd(handle, file)
      if (end.validBytes < end.bytes) await handle.truncate(end.validBytes)
      const log = new EventLog(file, handle, end.lastSeq, options.redact)
      log.dirSync = syncDirectory(dirname(file)).catch(() => undefined)
      return log
    } catch (error) {
      await handle.close()
      throw ioError('open', file, error)
    }
  }

  /** The seq of the last appended event (0 for an empty log), whether or not it is flushed yet. */
  get lastSeq(): number {
    return this.seq
  }

  /**
   * Adds an event: assigns `v`, the next `seq` and `ts`, buffers its line and returns it. The line is
   * serialized now, so later changes to the returned object do not reach the log. A flush is scheduled
   * (setImmediate) after the first buffered event.
   */
  append<E extends { type: string }>(event: E): E & LoggedEvent {
    if (this.closing)
      throw new MacdsError('EVENT_LOG_CLOSED', `The event log ${this.file} is closed.`, { kind: 'bug' })
    if (typeof event.type !== 'string' || event.type === '')
      throw new MacdsError('EVENT_TYPE_MISSING', 'An event needs a non-empty string "type".', { kind: 'bug' })
    const now = Date.now()
    if (now !== this.tsMs) {
      this.tsMs = now
      this.tsText = new Date(now).toISOString()
    }
    const seq = this.seq + 1
    const logged = { v: 1, seq, ts: this.tsText, ...event } as E & LoggedEvent
    // The log's own fields win over any the caller passed, yet stay first on the line.
    logged.v = 1
    logged.seq = seq
    logged.ts = this.tsText
    let line: string
    try {
      line = JSON.stringify(logged)
      if (this.redact) line = this.redact(line)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new MacdsError('EVENT_NOT_SERIALIZABLE', `The event "${event.type}" is not JSON: ${message}`, {
        kind: 'bug',
        cause: error,
      })
    }
    this.seq = seq
    this.lines.push(line)
    this.lineChars += line.length
    if (this.lineChars >= PIECE_CHARS) this.cutPiece()
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined
      // A failure is kept and rethrown by the next flush(); it must not become an unhandled rejection.
      if (this.lines.length > 0 || this.pieces.length > 0) this.flush().catch(() => undefined)
    })
    return logged
  }

  /**
   * Writes everything appended so far and resolves once the OS has it: after every earlier flush,
   * by one write call per batch (more only for batches of several MiB). With `durable` it also waits
   * for fsync (and, the first time, for an fsync of the directory). Appends made meanwhile go to the
   * next batch. Rejects with EVENT_LOG_IO if this or any earlier write failed.
   */
  flush(options: { durable?: boolean } = {}): Promise<void> {
    const durable = options.durable === true
    // The buffer is taken when the write starts, not when flush is called: flushes that queue up
    // behind a write in progress share one write, and the later ones find nothing left to do.
    const done = this.writes.then(() => {
      if (this.failure) throw this.failure
      if (this.lines.length > 0) this.cutPiece()
      const pieces = this.pieces
      this.pieces = []
      return pieces.length > 0 || durable ? this.write(pieces, durable) : undefined
    })
    this.writes = done.catch(() => undefined)
    return done
  }

  /** Flushes what is left and closes the file; appending afterwards is a bug. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.scheduled) clearImmediate(this.scheduled)
      this.scheduled = undefined
      try {
        await this.flush()
      } finally {
        this.closed = true
        await this.handle.close()
      }
    })()
    return this.closing
  }

  private cutPiece(): void {
    this.pieces.push(this.lines.join('\n') + '\n')
    this.lines = []
    this.lineChars = 0
  }

  private async write(pieces: string[], durable: boolean): Promise<void> {
    if (this.failure) throw this.failure
    if (this.closed) return // nothing can have been appended since the final flush
    try {
      for (const piece of pieces) {
        const bytes = Buffer.from(piece, 'utf8')
        for (let offset = 0; offset < bytes.length;) {
          const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset)
          if (bytesWritten === 0) throw new Error('the write made no progress')
          offset += bytesWritten
        }
      }
      if (durable) {
        await this.handle.datasync()
        this.dirSync ??= syncDirectory(dirname(this.file))
        await this.dirSync
      }
    } catch (error) {
      this.failure = ioError('write', this.file, error)
      throw this.failure
    }
  }
}

/** Makes a new file's directory entry durable; platforms that cannot fsync a directory are skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(dir, 'r')
  } catch {
    return
  }
  try {
    await handle.sync()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error
  } finally {
    await handle.close()
  }
}
