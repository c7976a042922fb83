import { describe, expect, it } from 'vitest'
import type { AgentOutcome } from '../../src/core/agents/runtime.js'
import type { RunContext } from '../../src/core/run/context.js'
import { type ArchitectureTask, runTasks } from '../../src/core/run/tasks.js'
import type { ChangeSet } from '../../src/core/run/workspace.js'

const TASKS: ArchitectureTask[] = [
  { id: 'TASK-1', component: 'Farewell', description: 'Say goodbye by name', files: ['src/farewell.js'] },
  { id: 'TASK-2', component: 'Shout', description: 'Shout a greeting', files: ['src/shout.js'] },
]

function changeset(...paths: string[]): ChangeSet {
  return {
    intent: `write ${paths.join(', ')}`,
    files: paths.map((path) => ({ path, action: 'create' as const, content: 'x\n' })),
  }
}

/** A run whose workspace records what was applied, in order, without touching a disk. */
function fakeRun(): { run: RunContext; applied: string[] } {
  const applied: string[] = []
  const workspace = {
    info: undefined,
    async applyChangeSet(cs: ChangeSet, by: { stage: string }) {
      applied.push(by.stage)
      return {
        id: `CS_${applied.length.toString().padStart(12, '0')}`,
        base: 'b',
        commit: `c${applied.length}`,
        diff: cs.intent,
      }
    },
  }
  return { run: { workspace } as unknown as RunContext, applied }
}

/** An agent per task that answers after `delays[task][call]` ms with `answers[task][call]`. */
function agents(answers: Record<string, ChangeSet[]>, delays: Record<string, number[]>) {
  const calls: Record<string, number> = {}
  const ask = async (task: ArchitectureTask): Promise<AgentOutcome> => {
    const n = calls[task.id] ?? 0
    calls[task.id] = n + 1
    await new Promise((r) => setTimeout(r, delays[task.id]?.[n] ?? 0))
    const output = { changeset: answers[task.id]?.[Math.min(n, (answers[task.id]?.length ?? 1) - 1)] }
    return {
      ok: true,
      output,
      warnings: [],
      attempts: 1,
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      cost_usd: 0,
    }
  }
  return { ask, calls }
}

const by = { agent: 'implementation', stage: 'implementation' }

describe('implementation tasks in parallel', () => {
  it('runs every task, commits each, and combines their ChangeSets into one', async () => {
    const { run, applied } = fakeRun()
    const { ask, calls } = agents(
      { 'TASK-1': [changeset('src/farewell.js')], 'TASK-2': [changeset('src/shout.js')] },
      { 'TASK-1': [30], 'TASK-2': [5] },
    )
    const done = await runTasks(run, TASKS, ask, by, 60_000)
    if (!done.ok) throw new Error(done.message)
    expect(calls).toEqual({ 'TASK-1': 1, 'TASK-2': 1 })
    // Disjoint files: the quicker task commits first, without waiting for the other.
    expect(applied).toEqual(['implementation/TASK-2', 'implementation/TASK-1'])
    expect(done.changeset.files.map((f) => f.path)).toEqual(['src/farewell.js', 'src/shout.js'])
    expect(done.applied.commit).toBe('c2')
    expect(done.output.tasks).toEqual([
      { task: 'TASK-1', changeset_id: 'CS_000000000002', commit: 'c2' },
      { task: 'TASK-2', changeset_id: 'CS_000000000001', commit: 'c1' },
    ])
  })

  it('makes a younger task wait for an older one that holds a file it needs', async () => {
    const { run, applied } = fakeRun()
    const { ask, calls } = agents(
      { 'TASK-1': [changeset('src/farewell.js')], 'TASK-2': [changeset('src/shout.js', 'src/farewell.js')] },
      { 'TASK-1': [60], 'TASK-2': [5] },
    )
    const done = await runTasks(run, TASKS, ask, by, 60_000)
    expect(done.ok).toBe(true)
    expect(applied).toEqual(['implementation/TASK-1', 'implementation/TASK-2'])
    expect(calls).toEqual({ 'TASK-1': 1, 'TASK-2': 1 })
  })

  it('wounds a younger task that holds a file an older one needs; the younger starts over', async () => {
    const { run, applied } = fakeRun()
    const { ask, calls } = agents(
      { 'TASK-1': [changeset('src/farewell.js', 'src/shout.js')], 'TASK-2': [changeset('src/shout.js')] },
      { 'TASK-1': [5], 'TASK-2': [60, 5] },
    )
    const done = await runTasks(run, TASKS, ask, by, 60_000)
    expect(done.ok).toBe(true)
    expect(applied).toEqual(['implementation/TASK-1', 'implementation/TASK-2'])
    expect(calls).toEqual({ 'TASK-1': 1, 'TASK-2': 2 })
  })

  it('fails the stage with the first task that fails', async () => {
    const { run, applied } = fakeRun()
    const ask = async (task: ArchitectureTask): Promise<AgentOutcome> =>
      task.id === 'TASK-2'
        ? {
            ok: false,
            reason: 'violations',
            message: 'still invalid',
            violations: [],
            attempts: 3,
            usage: { prompt_tokens: 0, completion_tokens: 0 },
            cost_usd: 0,
          }
        : {
            ok: true,
            output: { changeset: changeset('src/farewell.js') },
            warnings: [],
            attempts: 1,
            usage: { prompt_tokens: 0, completion_tokens: 0 },
            cost_usd: 0,
          }
    const done = await runTasks(run, TASKS, ask, by, 60_000)
    expect(done).toMatchObject({ ok: false, message: 'still invalid' })
    expect(applied).toEqual(['implementation/TASK-1'])
  })
})
