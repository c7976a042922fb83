import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { runEvents, runIdOf } from '../helpers/run-project.js'
import { gitIn, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'

const RUN_TIMEOUT = 60_000

describe('a run on a git repository', () => {
  it(
    'merges a good ChangeSet into main, and the tests pass on the merged commit',
    async () => {
      // As after `macds init`: the decision log exists, and the architect's entries are appended to it.
      const root = await sampleRepo(await sampleSteps(), {
        edit: async (dir) => {
          await mkdir(join(dir, 'artifacts'))
          await writeFile(join(dir, 'artifacts', 'DESIGN_DECISIONS.log'), '# Design decisions\n')
        },
      })
      const before = gitIn(root, 'rev-parse', 'main')
      const result = await runCli(['run', 'Add a farewell function', '--approve', 'auto'], {
        cwd: root,
        timeoutMs: RUN_TIMEOUT,
      })
      if (result.code !== 0) throw new Error(result.stdout + result.stderr)
      expect(result.code).toBe(0)
      const after = gitIn(root, 'rev-parse', 'main')
      expect(after).not.toBe(before)
      expect(gitIn(root, 'merge-base', '--is-ancestor', before, after)).toBe('')
      // The user's checkout was fast-forwarded; the tests pass on what main now holds.
      expect(await readFile(join(root, 'src/farewell.js'), 'utf8')).toContain('Goodbye')
      expect(gitIn(root, 'status', '--porcelain')).toBe('')
      const runId = runIdOf(result.stdout)
      const events = await runEvents(root, runId)
      const started = events.findIndex((e) => e.type === 'integration.started')
      const finished = events.findIndex((e) => e.type === 'integration.finished')
      expect(started).toBeGreaterThan(0)
      expect(events[finished]).toMatchObject({ status: 'merged' })
      expect(events[started]).toMatchObject({ target: 'main', from: before, to: after })
      expect(existsSync(join(root, '.macds', 'worktrees', runId))).toBe(false)
      const subjects = gitIn(root, 'log', '--format=%an|%s', '--topo-order', `${before}..${after}`)
      expect(subjects).toMatch(/macds implementation\|CS_[0-9a-f]{12}: Add a farewell function/)
      expect(subjects).toMatch(/macds architect\|/)
      const decisions = await readFile(join(root, 'artifacts', 'DESIGN_DECISIONS.log'), 'utf8')
      expect(decisions.startsWith('# Design decisions\n')).toBe(true)
      expect(decisions.length).toBeGreaterThan('# Design decisions\n'.length)
      // infra's workflow file is a protected path: --approve auto approves it, on the record.
      const gate = events.find((e) => e.type === 'gate.requested' && e.stage === 'infra')
      expect(gate?.reasons).toEqual([expect.stringMatching(/\.github\/workflows\/ci\.yml.*protected/)])
      expect(events.find((e) => e.type === 'gate.answered' && e.gate_id === gate?.gate_id)).toMatchObject({
        decision: 'approve',
        by: 'auto',
      })
      expect(result.stdout).not.toContain('answer with')
      // Approved by the mode, not by a person: the run still counts as completed unsupervised.
      const report = JSON.parse((await runCli(['report', '--json'], { cwd: root })).stdout) as {
        system: { unsupervised_completion: { count: number; of: number } }
      }
      expect(report.system.unsupervised_completion).toMatchObject({ count: 1, of: 1 })
    },
    RUN_TIMEOUT,
  )
})
