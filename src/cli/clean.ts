import { isAbsolute, relative } from 'node:path'
import { loadConfig } from '../core/config/load.js'
import type { CleanItem, CleanSkip } from '../core/workspace/clean.js'
import { type Command, say } from './command.js'

/**
 * `macds clean`: removes the worktrees and branches of finished runs, leftover worktrees and stale
 * locks, one line per thing, then a summary. Runs in use are listed as skipped with the reason.
 */
export const cleanCommand: Command = {
  name: 'clean',
  args: '',
  summary: "remove finished runs' worktrees and branches, leftover worktrees and stale locks",
  positionals: { min: 0, max: 0 },
  options: {
    'dry-run': { type: 'boolean', description: 'list what would be removed, and remove nothing' },
    all: { type: 'boolean', description: 'also delete the branches of passed runs that were not merged' },
    json: { type: 'boolean', description: 'print what was removed and left as JSON' },
  },
  async run(context) {
    const config = await loadConfig(context.cwd)
    const dryRun = context.options['dry-run'] === true
    const { applyClean, planClean } = await import('../core/workspace/clean.js')
    const plan = await planClean(config.root, { all: context.options.all === true })
    const done = dryRun ? { removed: plan.remove, left: [] } : await applyClean(plan)
    const left = [...plan.leave, ...done.left]
    if (context.options.json) {
      say(context.stdout, JSON.stringify({ dry_run: dryRun, removed: done.removed, left }, null, 2))
      return 0
    }
    const show = (path: string) => shorten(config.root, path)
    const verb = dryRun ? 'would remove' : 'removed'
    for (const item of done.removed) say(context.stdout, `${verb} ${describe(item, show)} (${item.reason})`)
    for (const item of left)
      say(context.stdout, `${item.action} ${item.kind} ${show(item.target)}: ${item.reason}`)
    say(context.stdout, summary(done.removed, left, dryRun))
    return 0
  },
}

function describe(item: CleanItem, show: (path: string) => string): string {
  if (item.kind === 'lock') return `stale lock ${show(item.target)}`
  return `${item.kind} ${item.kind === 'branch' ? item.target : show(item.target)}`
}

const NOUNS = {
  worktree: ['worktree', 'worktrees'],
  branch: ['branch', 'branches'],
  lock: ['stale lock', 'stale locks'],
} as const

function summary(removed: CleanItem[], left: CleanSkip[], dryRun: boolean): string {
  const count = (kind: keyof typeof NOUNS, n: number) => `${n} ${NOUNS[kind][n === 1 ? 0 : 1]}`
  const parts = (['worktree', 'branch', 'lock'] as const)
    .map((kind) => ({ kind, n: removed.filter((item) => item.kind === kind).length }))
    .filter(({ n }) => n > 0)
    .map(({ kind, n }) => count(kind, n))
  const what = parts.length > 0 ? parts.join(', ') : 'nothing'
  const kept = left.filter((item) => item.action === 'kept').length
  const skipped = left.length - kept
  const rest = [kept > 0 ? `kept ${count('branch', kept)}` : '', skipped > 0 ? `skipped ${skipped}` : '']
  const tail = rest
    .filter((part) => part !== '')
    .map((part) => `; ${part}`)
    .join('')
  return dryRun ? `dry run: would remove ${what}${tail}; nothing was removed` : `removed ${what}${tail}`
}

/** A path under the project root as a relative one, for shorter lines. */
function shorten(root: string, path: string): string {
  const rel = relative(root, path)
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel
}
