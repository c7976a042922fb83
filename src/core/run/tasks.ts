import type { AgentOutcome } from '../agents/runtime.js'
import { LeaseTable } from '../changeset/leases.js'
import { MacdsError } from '../errors.js'
import { sleep } from '../sleep.js'
import type { RunContext } from './context.js'
import { saveChangeSet } from './effects.js'
import { type AppliedChangeSet, type Author, type ChangeSet, changeSetId } from './workspace.js'

type Json = Record<string, unknown>
type Failure = Extract<AgentOutcome, { ok: false }>

/** An implementation task of the accepted architecture. */
export interface ArchitectureTask {
  id: string
  component: string
  description: string
  files: string[]
}

/** The stage's outcome when it ran once per task: one output and one ChangeSet for all of them. */
export interface TasksDone {
  ok: true
  output: Json
  changeset: ChangeSet
  applied: AppliedChangeSet
}

/** What one task did: its accepted output and the ChangeSet it committed, in commit order. */
interface TaskResult {
  task: ArchitectureTask
  output: Json
  changeset: ChangeSet
  applied: AppliedChangeSet
  seq: number
}

interface TaskRun {
  run: RunContext
  leases: LeaseTable
  ask: (task: ArchitectureTask) => Promise<AgentOutcome>
  by: Author
  ttlMs: number
  commits: { count: number }
}

/** Times a task wounded by an older one starts over before it keeps what it has. */
const RESTARTS = 3

/** The tasks of the run's accepted architecture (none when it lists no tasks). */
export function architectureTasks(run: RunContext): ArchitectureTask[] {
  const stage = run.state.workflow.stages.find((s) => s.contract === 'architecture')
  const output = stage
    ? (run.state.outputs[stage.id] as { tasks?: ArchitectureTask[] } | undefined)
    : undefined
  return output?.tasks ?? []
}

/**
 * Runs one implementation call per architecture task, all at once. Each task leases its files with
 * wound-wait (the older task, earlier in the architecture's list, wins a conflict; a younger task
 * that held the files starts over), then applies and commits its ChangeSet while it holds leases on
 * every file the ChangeSet touches. The outputs are combined: one ChangeSet with every task's files,
 * reviewed and validated together. A task that fails fails the stage.
 */
export async function runTasks(
  run: RunContext,
  tasks: readonly ArchitectureTask[],
  ask: (task: ArchitectureTask) => Promise<AgentOutcome>,
  by: Author,
  ttlMs: number,
): Promise<TasksDone | Failure> {
  const shared: TaskRun = {
    run,
    leases: new LeaseTable({ maxRetryMs: 50 }),
    ask,
    by,
    ttlMs,
    commits: { count: 0 },
  }
  const results = await Promise.all(tasks.map((task, age) => runTask(shared, task, age)))
  const failed = results.find((r): r is Failure => 'ok' in r)
  return failed ?? combine(results as TaskResult[])
}

async function runTask(shared: TaskRun, task: ArchitectureTask, age: number): Promise<TaskResult | Failure> {
  const { leases, ttlMs } = shared
  const me = { id: task.id, startedAt: age }
  for (let start = 0; ; start++) {
    await acquire(leases, me, task.files, ttlMs)
    const outcome = await shared.ask(task)
    if (!outcome.ok) {
      leases.release(me.id)
      return outcome
    }
    // A wound while the agent worked means an older task took some of these files: start over.
    if (leases.wounded(me.id) && start < RESTARTS) continue
    const output = outcome.output as Json
    const changeset = output.changeset as ChangeSet
    await acquire(leases, me, [...task.files, ...changeset.files.map((f) => f.path)], ttlMs)
    leases.beginCommit(me.id)
    try {
      const by = { ...shared.by, stage: `${shared.by.stage}/${task.id}` }
      const applied = await shared.run.workspace.applyChangeSet(changeset, by)
      if (shared.run.workspace.info) await saveChangeSet(shared.run, applied.id, changeset, applied)
      return { task, output, changeset, applied, seq: ++shared.commits.count }
    } catch (error) {
      // An older task changed these files while this one waited: its ChangeSet no longer applies.
      if (!(error instanceof MacdsError) || error.code !== 'CHANGESET_REFUSED' || start >= RESTARTS)
        throw error
    } finally {
      leases.release(me.id)
    }
  }
}

/** Takes the leases, waiting while an older task (or one that is committing) holds some of them. */
async function acquire(
  leases: LeaseTable,
  me: { id: string; startedAt: number },
  paths: string[],
  ttlMs: number,
): Promise<void> {
  for (;;) {
    const got = leases.acquire(me, paths, ttlMs)
    if (got.ok) return
    await sleep(got.retryAfterMs)
  }
}

/** One output for the stage: the tasks' ChangeSets as one, from the first base to the last commit. */
function combine(results: TaskResult[]): TasksDone {
  const changeset: ChangeSet = {
    intent: results.map((r) => `${r.task.id}: ${r.changeset.intent}`).join('; '),
    rationale: results.map((r) => `${r.task.id}: ${r.changeset.rationale ?? ''}`).join('\n'),
    files: results.flatMap((r) => r.changeset.files),
    validation_plan: {
      tests_to_run: results.flatMap((r) => r.changeset.validation_plan?.tests_to_run ?? []),
    },
  }
  const committed = [...results].sort((a, b) => a.seq - b.seq)
  const applied: AppliedChangeSet = {
    id: changeSetId(changeset),
    base: committed[0]?.applied.base ?? '',
    commit: committed.at(-1)?.applied.commit ?? '',
    diff: committed.map((r) => r.applied.diff).join('\n'),
  }
  const tasks = results.map((r) => ({
    task: r.task.id,
    changeset_id: r.applied.id,
    commit: r.applied.commit,
  }))
  return { ok: true, output: { ...results[0]?.output, changeset, tasks }, changeset, applied }
}
