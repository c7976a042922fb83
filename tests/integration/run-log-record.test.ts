import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { setUpRun } from '../../src/cli/run-setup.js'
import { DEMO_REQUIREMENT, makeDemoRepository } from '../../src/core/demo/repository.js'
import { startRun } from '../../src/core/run/driver.js'
import { readEventLog } from '../../src/core/run/event-log.js'
import { runPaths } from '../../src/core/run/paths.js'
import { tempDir } from '../helpers/temp.js'

describe('the event log of a whole run', () => {
  it('holds every event exactly as it was when recorded', async () => {
    // The demo's run has every kind of event: routed failures, an escalation and its ruling, gates,
    // ChangeSets, artifacts, the pipeline, memory and integration. Events are serialized when their
    // batch is written, so an event changed after it was recorded would reach the log changed.
    const root = await makeDemoRepository(join(await tempDir('macds-log-'), 'demo'))
    const setup = await setUpRun(root, {}, {})
    const recorded: string[] = []
    try {
      const runId = 'r-recorded'
      const deps = await setup.deps(
        runId,
        [(event) => recorded.push(JSON.stringify(event))],
        new AbortController().signal,
        false,
      )
      const { state } = await startRun(DEMO_REQUIREMENT, setup.options('auto'), deps, runId)
      expect(state.status).toBe('passed')
      const { events } = await readEventLog(runPaths(root, runId).events)
      const types = new Set(events.map((e) => e.type))
      for (const type of ['escalation.ruled', 'gate.answered', 'effect.recorded', 'pipeline.finished'])
        expect(types, type).toContain(type)
      expect(events.map((e) => e)).toEqual(recorded.map((text) => JSON.parse(text)))
    } finally {
      await setup.close()
    }
  }, 90_000)
})
