import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContractRegistry } from '../../src/core/contracts/registry.js'
import type { CompletionRequest, Provider } from '../../src/core/providers/types.js'
import { startRun } from '../../src/core/run/driver.js'
import { readEventLog } from '../../src/core/run/event-log.js'
import { runPaths } from '../../src/core/run/paths.js'
import { tempDir, waitFor } from '../helpers/temp.js'
import { instantProvider, tinyProject } from '../helpers/tiny-project.js'

const OPTIONS = { provider: 'scripted', script: undefined, approve: 'auto' } as const

/** A provider whose calls all answer `{"ok":true}` once `release` is called, and not before. */
function heldProvider(): Provider & { calls: number; release: () => void } {
  let release = () => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  const answers = instantProvider()
  const provider = {
    name: 'scripted' as const,
    calls: 0,
    release: () => release(),
    complete: async (request: CompletionRequest) => {
      provider.calls++
      await released
      return answers.complete(request)
    },
  }
  return provider
}

describe('contract edits during runs that share a registry', () => {
  it('are logged by each run as its own event, numbered in its own log', async () => {
    const provider = heldProvider()
    // Two runs at different points of their logs: two branches in flight, and one stage.
    const fan = await tinyProject(
      await tempDir(),
      [
        { id: 'a', depends_on: [] },
        { id: 'b', depends_on: [] },
      ],
      2,
      provider,
    )
    const single = await tinyProject(await tempDir(), [{ id: 'only', depends_on: [] }], 1, provider)
    const registry = await ContractRegistry.load(fan.config.paths.contracts)
    await registry.watch()
    try {
      const seen: string[] = []
      const heard = (id: string) => [
        (event: { type: string }) => void (event.type === 'contract.reloaded' && seen.push(id)),
      ]
      const runs = [
        startRun('fan out', OPTIONS, { ...fan, contracts: registry, listeners: heard('r-fan') }, 'r-fan'),
        startRun(
          'one stage',
          OPTIONS,
          { ...single, contracts: registry, listeners: heard('r-single') },
          'r-single',
        ),
      ]
      await waitFor(() => (provider.calls === 3 ? true : undefined), 5000, 'every first call')
      await appendFile(join(fan.config.paths.contracts, 'tiny.yaml'), '\n# edited while both runs wait\n')
      await waitFor(() => (seen.length === 2 ? true : undefined), 5000, 'the edit in both runs')
      provider.release()
      const results = await Promise.all(runs)
      expect(results.map((r) => r.state.status)).toEqual(['passed', 'passed'])
      for (const [root, id] of [
        [fan.config.root, 'r-fan'],
        [single.config.root, 'r-single'],
      ] as const) {
        // The log reads back whole: every seq in order, the edit logged once.
        const { events } = await readEventLog(runPaths(root, id).events)
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
        expect(events.filter((e) => e.type === 'contract.reloaded')).toEqual([
          expect.objectContaining({ name: 'tiny' }),
        ])
      }
    } finally {
      await registry.close()
    }
  })
})
