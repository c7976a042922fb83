import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../../src/core/run/events.js'
import { ReadyStages } from '../../src/core/run/ready.js'
import type { RunState } from '../../src/core/run/state.js'
import type { StageSpec } from '../../src/core/workflow/types.js'

type Status = 'pending' | 'running' | 'passed' | 'failed'

/** A small deterministic random source, so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648
    return x / 2147483648
  }
}

/** A random acyclic workflow: each stage depends on some of the stages before it. */
function workflow(size: number, next: () => number): StageSpec[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `s${i}`,
    agent: 'a',
    contract: 'c',
    depends_on: Array.from({ length: i }, (_, d) => `s${d}`).filter(() => next() < 0.3),
  }))
}

/** The stages that may start, worked out the slow way. */
function bruteForce(stages: StageSpec[], state: RunState, running: Set<string>): string[] {
  return stages
    .filter((s) => state.stages[s.id]?.status === 'pending' && !running.has(s.id))
    .filter((s) => s.depends_on.every((d) => state.stages[d]?.status === 'passed'))
    .map((s) => s.id)
}

describe('ReadyStages', () => {
  it('offers exactly the pending stages whose dependencies all passed, as statuses come and go', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed)
      const stages = workflow(12, next)
      const state = { stages: {} } as unknown as RunState
      for (const s of stages) state.stages[s.id] = { status: 'pending', visit: 0 }
      const ready = new ReadyStages({ concurrency: 99, stages })
      const running = new Set<string>()
      for (let step = 0; step < 200; step++) {
        const expected = bruteForce(stages, state, running)
        const taken = ready.take(state, 99, (id) => running.has(id)).map((s) => s.id)
        expect(new Set(taken), `seed ${seed}, step ${step}`).toEqual(new Set(expected))
        // Anything may change next, passed stages going back to pending included (a re-open).
        const stage = stages[Math.floor(next() * stages.length)] as StageSpec
        const statuses: Status[] = ['pending', 'running', 'passed', 'passed', 'failed']
        const status = statuses[Math.floor(next() * statuses.length)] as Status
        state.stages[stage.id] = { status, visit: 1 } as RunState['stages'][string]
        ready.changed({ type: 'stage.passed', stage: stage.id } as unknown as RunEvent)
        // A stage that was offered and not started is offered again only once something touches it.
        for (const id of taken) ready.changed({ type: 'stage.started', stage: id } as unknown as RunEvent)
      }
    }
  })

  it('looks at a joining stage about once per branch that passes, not once per branch each time', () => {
    const width = 1000
    const branches = Array.from({ length: width }, (_, i) => ({
      id: `b${i}`,
      agent: 'a',
      contract: 'c',
      depends_on: [] as string[],
    }))
    const join = { id: 'join', agent: 'a', contract: 'c', depends_on: branches.map((b) => b.id) }
    const stages = [...branches, join]
    let reads = 0
    const statuses: Record<string, { status: Status; visit: number }> = {}
    for (const s of stages) statuses[s.id] = { status: 'pending', visit: 0 }
    const counted = new Proxy(statuses, {
      get: (target, key: string) => {
        reads++
        return target[key]
      },
    })
    const state = { stages: counted } as unknown as RunState
    const ready = new ReadyStages({ concurrency: width + 1, stages })
    ready.take(state, width + 1, () => false)
    for (const branch of branches) {
      statuses[branch.id] = { status: 'passed', visit: 1 }
      ready.changed({ type: 'stage.passed', stage: branch.id } as unknown as RunEvent)
      const taken = ready.take(state, width + 1, () => false)
      expect(taken.map((s) => s.id)).toEqual(branch === branches.at(-1) ? ['join'] : [])
    }
    // Checking every dependency each time would read about width² / 2 = 500,000 statuses.
    expect(reads).toBeLessThan(10 * width)
  })
})
