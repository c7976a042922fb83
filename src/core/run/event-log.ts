import { type FileHandle, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { MacdsError } from '../errors.js'
import { type LoggedEvent, ioError, scanEventLogEnd } from './event-file.js'

export { type LoggedEvent, readEventLog, replayEventLog } from './event-file.js'

/** Lines are encoded straight into chunks of this many bytes (a longer line gets a chunk of its own). */
const CHUNK_BYTES = 64 * 1024

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
  /** The open file; every write waits for it, and a failure to open breaks the log like a failed write. */
  private readonly opening: Promise<FileHandle>
  private seq: number
  /** The chunk lines are encoded into; bytes from `cut` to `used` are appended but not yet handed to a write. */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  private cut = 0
  private used = 0
  /** Encoded lines handed over to the next write, in append order. */
  private pieces: Buffer[] = []
  private writes: Promise<void>
  private failure: MacdsError | undefined
  private scheduled: NodeJS.Immediate | undefined
  private closing: Promise<void> | undefined
  /** The fsync of the directory entry, started when the log opens so that the final durable flush rarely waits for it. */
  private readonly dirSync: Promise<void>
  private closed = false
  private line = ''
  private tsMs = Number.NaN
  private tsText = ''

  private constructor(
    file: string,
    opening: Promise<FileHandle>,
    lastSeq: number,
    private readonly redact: ((line: string) => string) | undefined,
  ) {
    this.file = file
    this.opening = opening
    this.seq = lastSeq
    this.writes = opening.then(
      () => undefined,
      (error: unknown) => void (this.failure = ioError('create', file, error)),
    )
    this.dirSync = opening.then(() => syncDirectory(dirname(file))).catch(() => undefined)
  }

  /**
   * Starts a new log at once, with nothing on disk yet: events are appended (and numbered from 1)
   * while `prepare` runs (taking the run's lock, say) and then the file is created, which must not
   * exist. Every write waits for both, so nothing reaches the disk before them; if either fails, the
   * next flush rejects with that error (EVENT_LOG_IO, or the error `prepare` threw).
   */
  static create(
    file: string,
    options: { redact?: (line: string) => string; prepare?: () => Promise<void> } = {},
  ): EventLog {
    const opening = (async () => {
      await options.prepare?.()
      await mkdir(dirname(file), { recursive: true })
      return open(file, 'ax', 0o600)
    })()
    return new EventLog(file, opening, 0, options.redact)
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
      return new EventLog(file, Promise.resolve(handle), end.lastSeq, options.redact)
    } catch (error) {
      await handle.close()
      throw ioError('open', file, error)
    }
  }

  /** The line of the last appended event, as written (secrets masked). */
  get lastLine(): string {
    return this.line
  }

  /** Why the log is broken (a write, or creating the file, failed), or undefined while it works. */
  get error(): MacdsError | undefined {
    return this.failure
  }

  /** The seq of the last appended event (0 for an empty log), whether or not it is flushed yet. */
  get lastSeq(): number {
    return this.seq
  }

  /**
   * Adds an event: stamps it with `v`, the next `seq` and `ts` (the log's own values win over any the
   * caller set), buffers its line and returns it. The line is serialized now, so later changes to the
   * event do not reach the log; `lastLine` is that line. A flush is scheduled (setImmediate) after the
   * first buffered event.
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
    const ts = this.tsText
    let line: string
    try {
      // The log's fields come first on the line; fields of the caller's with the same names are dropped.
      const body = 'v' in event || 'seq' in event || 'ts' in event ? withoutLogFields(event) : event
      line = `{"v":1,"seq":${seq},"ts":"${ts}",${JSON.stringify(body).slice(1)}`
      if (this.redact) line = this.redact(line)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new MacdsError('EVENT_NOT_SERIALIZABLE', `The event "${event.type}" is not JSON: ${message}`, {
        kind: 'bug',
        cause: error,
      })
    }
    // Stamped in place: copying every event would cost more than serializing it.
    const logged = event as E & LoggedEvent
    logged.v = 1
    logged.seq = seq
    logged.ts = ts
    this.line = line
    this.seq = seq
    this.encode(line)
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined
      // A failure is kept and rethrown by the next flush(); it must not become an unhandled rejection.
      if (this.used > this.cut || this.pieces.length > 0) this.flush().catch(() => undefined)
    })
    return logged
  }

  /**
   * Writes everything appended so far and resolves once the OS has it: after every earlier flush,
   * by one gathered write call per batch (more only if the system takes part of it). With `durable` it also waits
   * for fsync (and, the first time, for an fsync of the directory). Appends made meanwhile go to the
   * next batch. Rejects with EVENT_LOG_IO if this or any earlier write failed.
   */
  flush(options: { durable?: boolean } = {}): Promise<void> {
    const durable = options.durable === true
    // The buffer is taken when the write starts, not when flush is called: flushes that queue up
    // behind a write in progress share one write, and the later ones find nothing left to do.
    const done = this.writes.then(() => {
      if (this.failure) throw this.failure
      this.cutPiece()
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
        await (await this.opening.catch(() => undefined))?.close()
      }
    })()
    return this.closing
  }

  /**
   * Encodes a line and its newline into the current chunk, starting a new chunk when it may not fit
   * (UTF-8 takes at most 3 bytes per UTF-16 unit). Bytes already handed to a write are never touched.
   */
  private encode(line: string): void {
    const room = line.length * 3 + 1
    if (this.used + room > this.chunk.length) {
      this.cutPiece()
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room))
      this.cut = 0
      this.used = 0
    }
    this.used += this.chunk.write(line, this.used)
    this.chunk[this.used++] = 0x0a
  }

  /** Hands the encoded lines not yet handed over to the next write. */
  private cutPiece(): void {
    if (this.used === this.cut) return
    this.pieces.push(this.chunk.subarray(this.cut, this.used))
    this.cut = this.used
  }

  private async write(pieces: Buffer[], durable: boolean): Promise<void> {
    if (this.failure) throw this.failure
    if (this.closed) return // nothing can have been appended since the final flush
    try {
      const handle = await this.opening
      for (let rest = pieces; rest.length > 0;) {
        const { bytesWritten } = await handle.writev(rest)
        if (bytesWritten === 0) throw new Error('the write made no progress')
        rest = after(rest, bytesWritten)
      }
      if (durable) {
        await handle.datasync()
        await this.dirSync
      }
    } catch (error) {
      this.failure = ioError('write', this.file, error)
      throw this.failure
    }
  }
}

function withoutLogFields(event: { type: string }): Record<string, unknown> {
  const { v: _v, seq: _seq, ts: _ts, ...rest } = event as Record<string, unknown>
  return rest
}

/** What is left of `pieces` once their first `written` bytes are on disk. */
function after(pieces: Buffer[], written: number): Buffer[] {
  let index = 0
  while (index < pieces.length && written >= (pieces[index] as Buffer).length) {
    written -= (pieces[index] as Buffer).length
    index++
  }
  const rest = pieces.slice(index)
  if (written > 0 && rest.length > 0) rest[0] = (rest[0] as Buffer).subarray(written)
  return rest
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
