import { fdatasync } from 'node:fs'

/**
 * How long a file must go unwritten before what was written to it is made durable in the background:
 * shorter than a model call, longer than the gaps of a run whose agents answer within milliseconds
 * (scripted ones: a sync every few milliseconds cost such a run about 2.5 % of a core in system time).
 */
export const QUIET_MS = 50

/**
 * Makes a file durable in the background whenever writing to it pauses: once `written` has not been
 * called for `quietMs` (QUIET_MS by default), an fdatasync goes to the thread pool. A run writes its
 * log in bursts and then waits for its agents, so the log reaches the disk while the run waits, and a
 * crash of the machine loses at most the last burst. A run that writes without pausing is never synced
 * in the background. A failed sync is reported to `onError` once.
 */
export class QuietSync {
  private timer: NodeJS.Timeout | undefined
  /** Something was written since the last sync started. */
  private dirty = false
  private syncing: Promise<void> | undefined
  private stopped = false

  constructor(
    private readonly fd: number,
    private readonly onError: (error: NodeJS.ErrnoException) => void,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Notes a write: the quiet period starts again. */
  written(): void {
    if (this.stopped) return
    this.dirty = true
    if (this.timer) this.timer.refresh()
    else this.timer = setTimeout(() => this.quiet(), this.quietMs).unref()
  }

  /** Stops syncing; resolves once no sync is in flight, after which the descriptor may be closed. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.syncing
  }

  private quiet(): void {
    if (this.stopped || !this.dirty) return
    // One sync at a time: a write made during it is synced by the next quiet period.
    if (this.syncing) {
      this.timer?.refresh()
      return
    }
    this.dirty = false
    this.syncing = new Promise((resolve) => {
      fdatasync(this.fd, (error) => {
        this.syncing = undefined
        if (error) {
          this.stopped = true
          this.onError(error)
        }
        resolve()
      })
    })
  }
}
