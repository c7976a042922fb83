import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { setUpRun } from '../../src/cli/run-setup.js'
import { ContractRegistry } from '../../src/core/contracts/registry.js'
import { passingOutputs, runProject, stepsFor } from '../helpers/run-project.js'
import { waitFor } from '../helpers/temp.js'

describe('a run set up beside a registry already watching the contracts', () => {
  it('uses that registry, and leaves it watching when the run is over', async () => {
    const root = await runProject(stepsFor(await passingOutputs()))
    const registry = await ContractRegistry.load(join(root, 'contracts'))
    await registry.watch()
    try {
      const setup = await setUpRun(root, {}, {}, { contracts: registry })
      const deps = await setup.deps('r-shared', [], new AbortController().signal, false)
      expect(deps.contracts).toBe(registry)
      await setup.close()
      // Still watched: an edit after the run's end is still seen.
      const seen: string[] = []
      registry.subscribe((event) => seen.push(`${event.type} ${event.name}`))
      await appendFile(join(root, 'contracts', 'review.yaml'), '\n# a comment\n')
      await waitFor(() => (seen.length > 0 ? true : undefined), 5000, 'the edit to be seen')
      expect(seen[0]).toMatch(/^contract\.\w+ review$/)
    } finally {
      await registry.close()
    }
  })

  it('loads its own registry when the one given watches another directory', async () => {
    const root = await runProject(stepsFor(await passingOutputs()))
    const elsewhere = await ContractRegistry.load(join(await runProject([]), 'contracts'))
    const setup = await setUpRun(root, {}, {}, { contracts: elsewhere })
    try {
      const deps = await setup.deps('r-own', [], new AbortController().signal, false)
      expect(deps.contracts).not.toBe(elsewhere)
      expect(deps.contracts.dir).toBe(join(root, 'contracts'))
    } finally {
      await setup.close()
    }
  })
})
