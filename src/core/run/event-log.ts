import { closeSync, fdatasync, ftruncate, mkdirSync, openSync, writevSync } from 'node:fs'
import { type FileHandle, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { MacdsError } from '../errors.js'
import { type LoggedEvent, closeFile, ioError, openFile, scanEventLogEnd } from './event-file.js'
import { QuietSync } from './quiet-sync.js'

export { type LoggedEvent, readEventLog, replayEventLog } from './event-file.js'

const truncate = promisify(ftruncate)
const datasync = promisify(fdatasync)

/** Lines are encoded straight into chunks of this many bytes (a longer line gets a chunk of its own). */
const CHUNK_BYTES = 64 * 1024

/**
 * The append-only log of one run (`events.jsonl`, one JSON object per line), from which the run's
 * state is rebuilt after a crash. It knows nothing of event types: it numbers and timestamps whatever
 * has a `type`, buffers it, and writes the buffer in batches, in append order.
 *
 * `append` is synchronous and cheap: it stamps the event and queues it. Events are serialized when
 * their batch is written (or when `lastLine` is asked for), so a burst of events, such as the answers
 * of fifty parallel agents, costs the run little more than their state changes; the lines are made
 * while the run waits. Callers must therefore not change an event, or anything it holds, once it is
 * appended. Nothing is on disk until a flush. A flush runs by itself once the current turn of the
 * event loop ends, but callers must `await flush()` at every stage boundary, and `await sync()`
 * before any irreversible effect, so that the log never lags behind the world: a flush hands the
 * lines to the OS, which keeps them through a crash of the process, and a sync waits until the disk
 * has them, which keeps them through a crash of the machine. After a write error the
 * instance is broken for good (a partly written batch must not be followed by more lines): every later
 * flush rejects with that error, `onBreak` is called once, and the run has to be reopened, which
 * repairs the torn tail.
 *
 * Writes are synchronous: a batch of a few kilobytes reaches the page cache in one gathered write
 * (writev) faster than a trip through the thread pool is dispatched, and nothing interleaves with it.
 * Only the fsyncs, which can take a while, go to the thread pool: the directory's, the file's whenever
 * writing pauses (QuietSync), and `sync()`'s.
 */
export class EventLog {
  readonly file: string
  /** Called once when the log breaks (the file could not be created, or a write failed). */
  onBreak: ((error: MacdsError) => void) | undefined
  /** The open file; undefined for a new log until its first write creates it. */
  private fd: number | undefined
  private seq: number
  /** The chunk lines are encoded into; bytes from `cut` to `used` are appended but not yet handed to a write. */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  private cut = 0
  private used = 0
  /** Encoded lines cut from earlier chunks, not yet written, in append order. */
  private pieces: Buffer[] = []
  /** Events appended but not serialized yet, in append order. */
  private queue: LoggedEvent[] = []
  private failure: MacdsError | undefined
  /** Nothing more may be written: a write, creating the file or a sync failed. */
  private halted = false
  private scheduled: NodeJS.Immediate | undefined
  private closing: Promise<void> | undefined
  private closed = false
  /** The fsync of a new file's directory entry, started once the file exists; `sync()` waits for it. */
  private dirSync: Promise<void> = Promise.resolve()
  /** Syncs the file in the background whenever writing pauses; made with the first write. */
  private background: QuietSync | undefined
  private line = ''
  /** Why the last serialized event has no line. */
  private lineError: MacdsError | undefined
  private tsMs = Number.NaN
  private tsText = ''

  private constructor(
    file: string,
    fd: number | undefined,
    lastSeq: number,
    private readonly redact: ((line: string) => string) | undefined,
    /** For a new log: what must happen before its file is created (taking the run's lock, say). */
    private readonly prepare?: () => void,
  ) {
    this.file = file
    this.fd = fd
    this.seq = lastSeq
  }

  /**
   * Starts a new log with nothing on disk yet: events are appended (and numbered from 1) at once,
   * and the first write runs `prepare` (taking the run's lock, say) and then creates the file, which
   * must not exist. That write is the one scheduled after the current turn of the event loop, so a
   * run's first stage starts before any of it. If either fails, nothing is written and the flush
   * rejects with that error (the one `prepare` threw, else EVENT_LOG_IO).
   */
  static create(
    file: string,
    options: { redact?: (line: string) => string; prepare?: () => void } = {},
  ): EventLog {
    return new EventLog(file, undefined, 0, options.redact, options.prepare)
  }

  /**
   * Opens a log for appending, creating its directories and the file if needed. An existing log is
   * read (its end only, when that is intact) to continue the seq numbering, and a torn last line left by
   * a crash is cut off, so that the next append starts on a clean line. A log damaged in the middle is
   * refused with EVENT_LOG_CORRUPT rather than appended to.
   */
  static async open(file: string, options: { redact?: (line: string) => string } = {}): Promise<EventLog> {
    let fd: number
    try {
      await mkdir(dirname(file), { recursive: true })
      // 'a+': appends (O_APPEND) through the same descriptor that reads the end and truncates it.
      fd = await openFile(file, 'a+', 0o600)
    } catch (error) {
      throw ioError('open', file, error)
    }
    try {
      const end = await scanEventLogEnd(fd, file)
      if (end.validBytes < end.bytes) await truncate(fd, end.validBytes)
      return new EventLog(file, fd, end.lastSeq, options.redact)
    } catch (error) {
      await closeFile(fd)
      throw ioError('open', file, error)
    }
  }

  /**
   * The line of the last appended event, as written (secrets masked); serializes what is queued.
   * Throws EVENT_NOT_SERIALIZABLE if that event could not be serialized (the log is then broken).
   */
  readonly lastLine = (): string => {
    this.serialize()
    if (this.lineError) throw this.lineError
    return this.line
  }

  /** Why the log is broken (creating the file, a write or a sync failed, or an event is not JSON), or undefined while it works. */
  get error(): MacdsError | undefined {
    return this.failure
  }

  /** The seq of the last appended event (0 for an empty log), whether or not it is flushed yet. */
  get lastSeq(): number {
    return this.seq
  }

  /**
   * Adds an event: stamps it with `v`, the next `seq` and `ts` (the log's own values win over any the
   * caller set, and come first on its line), queues it and returns it. The event is serialized with
   * its batch, so neither it nor anything it holds may change afterwards. A flush is scheduled
   * (setImmediate) after the first queued event.
   */
  append<E extends { type: string }>(event: E): E & LoggedEvent {
    if (this.closing !== undefined)
      throw new MacdsError('EVENT_LOG_CLOSED', `The event log ${this.file} is closed.`, { kind: 'bug' })
    if (typeof event.type !== 'string' || event.type === '')
      throw new MacdsError('EVENT_TYPE_MISSING', 'An event needs a non-empty string "type".', { kind: 'bug' })
    const now = Date.now()
    if (now !== this.tsMs) {
      this.tsMs = now
      this.tsText = new Date(now).toISOString()
    }
    // Stamped in place: copying every event would cost more than serializing it.
    const logged = event as E & LoggedEvent
    logged.v = 1
    logged.seq = ++this.seq
    logged.ts = this.tsText
    this.queue.push(logged)
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined
      this.write()
    })
    return logged
  }

  /**
   * Writes everything appended so far; resolves once the OS has it. Rejects with EVENT_LOG_IO (or the
   * error that kept a new log from being made) if this or any earlier write failed.
   */
  flush(): Promise<void> {
    this.write()
    return this.failure ? Promise.reject(this.failure) : Promise.resolve()
  }

  /**
   * Writes everything appended so far and resolves once the disk has it (fdatasync, and for a new
   * file the fsync of its directory): for the moment before an effect that cannot be undone. Rejects
   * like `flush`, or with EVENT_LOG_IO if the sync fails (the log is then broken).
   */
  async sync(): Promise<void> {
    await this.flush()
    if (this.fd === undefined) return
    try {
      await datasync(this.fd)
    } catch (error) {
      this.break(ioError('sync', this.file, error))
      throw this.failure
    }
    await this.dirSync
  }

  /**
   * Writes what is left and closes the file, once a background sync in flight has ended. The tail is
   * not synced: what follows the last `sync()` or pause reaches the disk when the OS writes it back.
   * Appending afterwards is a bug. Safe to call twice. Rejects like `flush`; the file is closed either
   * way.
   */
  close(): Promise<void> {
    this.closing ??= this.finish()
    return this.closing
  }

  private async finish(): Promise<void> {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    try {
      this.write()
      // A background sync still in flight ends before the file is closed.
      await this.background?.stop()
      if (this.failure) throw this.failure
    } finally {
      this.closed = true
      if (this.fd !== undefined) closeSync(this.fd)
    }
  }

  /**
   * Encodes a line and its newline into the current chunk, starting a new chunk when it may not fit
   * (UTF-8 takes at most 3 bytes per UTF-16 unit). Bytes cut for a write are not touched until written.
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

  /**
   * Serializes the queued events into the chunk, in order. An event that cannot be serialized (a bug:
   * a cycle, a BigInt) breaks the log with EVENT_NOT_SERIALIZABLE: the events before it are still
   * written, nothing after it is.
   */
  private serialize(): void {
    const queue = this.queue
    if (queue.length === 0) return
    this.queue = []
    for (const event of queue) {
      try {
        const line = lineOf(event)
        this.line = this.redact ? this.redact(line) : line
        this.lineError = undefined
      } catch (error) {
        this.lineError = notSerializable(event, error)
        this.break(this.lineError, { halt: false })
        continue
      }
      // Lines after a break are made for `lastLine`, never written.
      if (!this.failure) this.encode(this.line)
    }
  }

  /** Writes the events not written yet, creating a new log's file first; a failure breaks the log. */
  private write(): void {
    this.serialize()
    this.cutPiece()
    if (this.halted || this.closed || this.pieces.length === 0) return
    let fd: number
    try {
      fd = this.fd ??= this.createFile()
    } catch (error) {
      this.break(ioError('create', this.file, error))
      return
    }
    try {
      for (let rest = this.pieces; rest.length > 0;) rest = after(rest, writevSync(fd, rest))
      // Everything encoded is written: the chunk is free again from its start.
      this.pieces = []
      this.cut = 0
      this.used = 0
      this.background ??= new QuietSync(fd, (error) => this.break(ioError('sync', this.file, error)))
      this.background.written()
    } catch (error) {
      this.break(ioError('write', this.file, error))
    }
  }

  private createFile(): number {
    this.prepare?.()
    mkdirSync(dirname(this.file), { recursive: true })
    const fd = openSync(this.file, 'ax', 0o600)
    this.dirSync = syncDirectory(dirname(this.file)).catch(() => undefined)
    return fd
  }

  /** Breaks the log for good with its first failure; a `halt` one also keeps what is encoded from being written. */
  private break(error: MacdsError, options = { halt: true }): void {
    if (options.halt) this.halted = true
    if (this.failure) return
    this.failure = error
    this.onBreak?.(error)
  }
}

/**
 * The line of a stamped event: the log's fields first, then the caller's, without any of the caller's
 * own `v`, `seq` or `ts`. The stamps were added after the caller's fields, so the event's JSON
 * usually ends with them and only needs cutting; an event that had such a field of its own is copied.
 */
function lineOf(event: LoggedEvent): string {
  const json = JSON.stringify(event)
  const stamps = `"v":1,"seq":${event.seq},"ts":"${event.ts}"`
  const tail = `,${stamps}}`
  // A string value cannot end the text with these characters (its quotes would be escaped), nor can a
  // nested object (its brace would come before the last one): the tail is the stamps themselves.
  if (json.endsWith(tail)) return `{${stamps},${json.slice(1, json.length - tail.length)}}`
  return `{${stamps},${JSON.stringify(withoutLogFields(event)).slice(1)}`
}

function notSerializable(event: LoggedEvent, error: unknown): MacdsError {
  const message = error instanceof Error ? error.message : String(error)
  const text = `The event "${event.type}" is not JSON: ${message}`
  return new MacdsError('EVENT_NOT_SERIALIZABLE', text, { kind: 'bug', cause: error })
}

function withoutLogFields(event: { type: string }): Record<string, unknown> {
  const { v: _v, seq: _seq, ts: _ts, ...rest } = event as Record<string, unknown>
  return rest
}

/** What is left of `pieces` once their first `written` bytes are on disk; no progress is an error. */
function after(pieces: Buffer[], written: number): Buffer[] {
  if (written === 0) throw new Error('the write made no progress')
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
