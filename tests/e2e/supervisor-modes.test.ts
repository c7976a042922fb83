import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/cli.js'
import { spawnPty } from '../helpers/pty.js'
import { requireApproval, runEvents } from '../helpers/run-project.js'
import { gitIn, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'
import { tempDir } from '../helpers/temp.js'

const WAIT = 20_000
const GUARD = 'guard: { protected: [macds.yaml, "contracts/**", "agents/**"] }\n'

describe('the supervisor in a terminal, beyond the gates', () => {
  it('approves gates by itself in auto mode, chosen with m before the run', async () => {
    const root = await sampleRepo(await sampleSteps(), {
      config: GUARD,
      edit: (dir) => requireApproval(dir, 'product'),
    })
    const before = gitIn(root, 'rev-parse', 'main')
    const cli = spawnPty([], { cwd: root })
    try {
      await cli.waitFor('no run yet', WAIT)
      await cli.press('m')
      await cli.waitFor('mode auto', WAIT)
      await cli.press('n')
      await cli.waitFor('Requirement for a new run:', WAIT)
      await cli.type('Add a farewell function')
      await cli.press('enter')
      await cli.waitFor(/run r-\S+ passed/, WAIT)
      await cli.press('q')
      expect(await cli.exit).toMatchObject({ exitCode: 0 })
    } finally {
      await cli.stop()
    }
    expect(gitIn(root, 'rev-parse', 'main')).not.toBe(before)
    const [runId = ''] = await readdir(join(root, '.macds', 'runs'))
    const events = await runEvents(root, runId)
    const answers = events.filter((e) => e.type === 'gate.answered')
    expect(answers).toEqual([expect.objectContaining({ decision: 'approve', by: 'auto' })])
  }, 60_000)

  it('hands the terminal to $EDITOR for a contract, and shows its reload and a rejected edit', async () => {
    const root = await sampleRepo(await sampleSteps())
    const plan = join(await tempDir('macds-edits-'), 'edits.json')
    await writeFile(
      plan,
      JSON.stringify([
        ['version: "1.0.0"', 'version: "1.1.0"'],
        ['version: "1.1.0"', 'version: [oops'],
      ]),
    )
    const editor = `${process.execPath} ${join(repoRoot, 'tests/helpers/fake-editor.mjs')}`
    const cli = spawnPty([], { cwd: root, env: { EDITOR: editor, VISUAL: '', FAKE_EDITS: plan } })
    try {
      await cli.waitFor('no run yet', WAIT)
      await cli.press('5')
      await cli.waitFor('✓ architecture', WAIT)
      await cli.press('e')
      await cli.waitFor('reloaded 1.0.0 → 1.1.0', WAIT)
      expect(cli.inAlternateScreen()).toBe(true)
      await cli.press('e')
      const screen = await cli.waitFor('1.1.0 stays in force', WAIT)
      expect(screen).toMatch(/✗ architecture\s+1\.1\.0/)
      expect(await readFile(`${plan}.runs`, 'utf8')).toContain(join(root, 'contracts', 'architecture.yaml'))
      await cli.press('q')
      expect(await cli.exit).toMatchObject({ exitCode: 0 })
      expect(cli.inAlternateScreen()).toBe(false)
    } finally {
      await cli.stop()
    }
  }, 60_000)
})
