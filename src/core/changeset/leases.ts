import { MacdsError } from '../errors.js'

/** A task that takes leases. `startedAt` is when it first started; a restarted task keeps it. */
export interface LeaseTask {
  id: string
  startedAt: number
}

/** The answer to `acquire`: the leases, or which older task holds them and when to ask again. */
export type AcquireResult = { ok: true } | { ok: false; retryAfterMs: number; holder: string }

export interface LeaseTableOptions {
  /** The clock, in milliseconds; `Date.now` unless told. */
  now?: () => number
  /** Called when a task loses its leases to an older task; it must stop and restart later. */
  onWound?: (taskId: string, by: string) => void
  /** The longest wait `acquire` suggests; default 1000 ms. */
  maxRetryMs?: number
}

interface Holding {
  task: LeaseTask
  paths: string[]
  ttlMs: number
  expiresAt: number
  committing: boolean
}

/**
 * Leases on work-tree paths for tasks that run in parallel, such as one implementation task per
 * component. A lease on a directory covers everything under it; letter case is ignored, since on
 * case-insensitive file systems `src/A.ts` is `src/a.ts`. A task gets all the paths it asks for or
 * none. Conflicts are settled by wound-wait: an older task (smaller `startedAt`, then smaller id)
 * takes the paths and the younger holder is wounded (all its leases revoked, `wounded` reports it,
 * `onWound` is called); a younger task waits and asks again. Waiting is only ever for an older task,
 * so no cycle of waits (no deadlock) can form, and a restarted task keeps its age, so it is not
 * starved. A lease not renewed within its TTL expires and no longer counts. Nothing here is
 * persistent: it coordinates tasks of one process.
 */
export class LeaseTable {
  private readonly holdings = new Map<string, Holding>()
  private readonly woundedBy = new Map<string, string>()
  private readonly now: () => number
  private readonly onWound: ((taskId: string, by: string) => void) | undefined
  private readonly maxRetryMs: number

  constructor(options: LeaseTableOptions = {}) {
    this.now = options.now ?? Date.now
    this.onWound = options.onWound
    this.maxRetryMs = options.maxRetryMs ?? 1000
  }

  /**
   * Leases `paths` to `task` for `ttlMs`, added to what it holds already. Starts a new attempt:
   * a wound reported earlier is forgotten.
   */
  acquire(task: LeaseTask, paths: readonly string[], ttlMs: number): AcquireResult {
    if (!(ttlMs > 0))
      throw new MacdsError('LEASE_TTL', `A lease needs a positive TTL, not ${ttlMs}.`, { kind: 'bug' })
    this.expire()
    this.woundedBy.delete(task.id)
    const keys = paths.map(leaseKey)
    const holders = [...this.holdings.values()].filter(
      (h) => h.task.id !== task.id && h.paths.some((held) => keys.some((key) => overlaps(held, key))),
    )
    const blockers = holders.filter((h) => h.committing || isOlder(h.task, task))
    if (blockers.length > 0) {
      const last = blockers.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a))
      const retryAfterMs = Math.max(1, Math.min(this.maxRetryMs, last.expiresAt - this.now()))
      return { ok: false, retryAfterMs, holder: last.task.id }
    }
    for (const holder of holders) this.wound(holder.task.id, task.id)
    const mine = this.holdings.get(task.id)
    this.holdings.set(task.id, {
      task: mine && isOlder(mine.task, task) ? mine.task : task,
      paths: [...new Set([...(mine?.paths ?? []), ...keys])],
      ttlMs,
      expiresAt: this.now() + ttlMs,
      committing: mine?.committing ?? false,
    })
    return { ok: true }
  }

  /** Extends a task's leases by their TTL. False when it holds none: wounded, expired or released. */
  renew(taskId: string): boolean {
    this.expire()
    const holding = this.holdings.get(taskId)
    if (!holding) return false
    holding.expiresAt = this.now() + holding.ttlMs
    return true
  }

  /**
   * Marks a task as applying its effects: from now on it cannot be wounded, and older tasks wait for
   * it instead. False when it holds no leases any more; then it must not apply anything.
   */
  beginCommit(taskId: string): boolean {
    if (!this.renew(taskId)) return false
    this.holdings.get(taskId)!.committing = true
    return true
  }

  /** Gives up all of a task's leases (done, failed, or acknowledging a wound). */
  release(taskId: string): void {
    this.holdings.delete(taskId)
    this.woundedBy.delete(taskId)
  }

  /** The older task that took this task's leases, until the task releases or acquires again. */
  wounded(taskId: string): string | undefined {
    return this.woundedBy.get(taskId)
  }

  /** The task whose live lease covers `path`, if any. */
  holderOf(path: string): string | undefined {
    this.expire()
    const key = leaseKey(path)
    return [...this.holdings.values()].find((h) => h.paths.some((held) => overlaps(held, key)))?.task.id
  }

  /** The paths a task holds, as leased (letter case folded). */
  held(taskId: string): string[] {
    this.expire()
    return [...(this.holdings.get(taskId)?.paths ?? [])]
  }

  private wound(taskId: string, by: string): void {
    this.holdings.delete(taskId)
    this.woundedBy.set(taskId, by)
    this.onWound?.(taskId, by)
  }

  private expire(): void {
    const now = this.now()
    for (const [id, holding] of this.holdings) if (holding.expiresAt <= now) this.holdings.delete(id)
  }
}

/** Whether `a` is older than `b`: it started earlier, or at the same time with a smaller id. */
function isOlder(a: LeaseTask, b: LeaseTask): boolean {
  return a.startedAt < b.startedAt || (a.startedAt === b.startedAt && a.id < b.id)
}

/** A path as leases compare it: no `./`, no trailing slash, one Unicode form, lower case; '' is the root. */
function leaseKey(path: string): string {
  const segments = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.')
  return segments.join('/').normalize('NFC').toLowerCase()
}

/** Whether two leased paths overlap: the same, or one a directory holding the other. */
function overlaps(a: string, b: string): boolean {
  return a === '' || b === '' || a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`)
}
