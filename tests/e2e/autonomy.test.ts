import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runCli } from '../helpers/cli.js'
import { passingOutputs, runEvents, runIdOf, runProject, stepsFor } from '../helpers/run-project.js'
import { gitIn, implementationStep, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'

const TIMEOUT = 120_000
const REQUIREMENT = 'Add a farewell function'

/** The autonomy of each agent as a run recorded it when it started. */
async function autonomyAt(
  root: string,
  stdout: string,
): Promise<Record<string, { level: string; value: number }>> {
  const [started] = await runEvents(root, runIdOf(stdout))
  return (started?.autonomy ?? {}) as Record<string, { level: string; value: number }>
}

describe('autonomy that is earned', () => {
  it(
    'sends the decisions of an agent that keeps failing to a person',
    async () => {
      const garbage = Array.from({ length: 3 }, () => ({
        agent: 'product',
        stage: 'requirements',
        raw: 'no idea',
      }))
      const root = await runProject(garbage)
      for (let run = 1; run <= 5; run++) {
        const failed = await runCli(['run', 'Add rate limiting'], { cwd: root })
        expect(failed.code).toBe(1)
      }
      await writeFile(
        join(root, 'script.yaml'),
        stringify({ version: 1, steps: stepsFor(await passingOutputs()) }),
      )
      const next = await runCli(['run', 'Add rate limiting', '--no-wait'], { cwd: root })
      expect((await autonomyAt(root, next.stdout)).product?.level).toBe('supervised')
      expect(next.code).toBe(3)
      expect(next.stdout).toMatch(
        /waiting for a person: g-[0-9a-f]{6} \(approve the output of product for requirements/,
      )
      // The gate's line says why a person decides.
      expect(next.stdout).toMatch(/\n {4}why: product's autonomy \(0\.\d+\) is below the low threshold/)
      const events = await runEvents(root, runIdOf(next.stdout))
      const gate = events.find((e) => e.type === 'gate.requested')
      expect(gate?.reasons).toEqual([expect.stringMatching(/autonomy \(0\.\d+\) is below the low threshold/)])
      const { agents } = JSON.parse((await runCli(['agents', 'list', '--json'], { cwd: root })).stdout) as {
        agents: { id: string; autonomy?: { level: string } }[]
      }
      expect(agents.find((a) => a.id === 'product')?.autonomy?.level).toBe('supervised')
    },
    TIMEOUT,
  )

  it(
    'lets an agent that keeps succeeding change what only a trusted agent may, without a gate',
    async () => {
      const config =
        'guard: { protected: [".github/**"], max_deleted_lines: 0, trusted_may_change: [".github/**"] }\n'
      const root = await sampleRepo([], { config })
      const runWith = async (k: number, changeset: Record<string, unknown>, approve: string) => {
        const steps = await sampleSteps()
        const infra = steps.find((s) => s.stage === 'infra')?.output as {
          changeset: { files: { path: string }[] }
        }
        const [workflow] = infra.changeset.files
        if (workflow) workflow.path = `.github/workflows/ci${k}.yml`
        const at = steps.findIndex((s) => s.stage === 'implementation')
        steps[at] = await implementationStep(changeset)
        await writeFile(join(root, 'script.yaml'), stringify({ version: 1, steps }))
        return runCli(['run', REQUIREMENT, '--approve', approve], { cwd: root, timeoutMs: TIMEOUT })
      }
      const create = (k: number) => ({
        intent: `Add helper ${k}`,
        rationale: 'A small helper the requirement needs.',
        files: [
          { path: `src/helper${k}.js`, action: 'create', content: `export const helper${k} = () => ${k}\n` },
        ],
        validation_plan: { tests_to_run: [] },
      })
      for (const k of [1, 2, 3]) expect((await runWith(k, create(k), 'auto')).code).toBe(0)
      // Deleting a line is above max_deleted_lines (0), and .github is protected: both need a person,
      // unless the agent is trusted. --approve reject refuses every gate, so only trust lets it pass.
      const rewrite = {
        intent: 'Say what greet does more plainly',
        rationale: 'The doc comment reads better in the active voice.',
        files: [
          {
            path: 'src/greet.js',
            action: 'modify',
            edits: [
              { search: '/** A greeting for someone by name. */', replace: '/** Greets someone by name. */' },
            ],
          },
        ],
        validation_plan: { tests_to_run: [] },
      }
      const third = await runWith(4, rewrite, 'reject')
      const levels = await autonomyAt(root, third.stdout)
      expect(levels.implementation?.level, JSON.stringify(levels)).toBe('trusted')
      expect(levels.infra?.level).toBe('trusted')
      if (third.code !== 0) throw new Error(third.stdout)
      const events = await runEvents(root, runIdOf(third.stdout))
      expect(events.filter((e) => e.type === 'gate.requested')).toEqual([])
      expect(gitIn(root, 'show', 'main:src/greet.js')).toContain('Greets someone by name')
    },
    TIMEOUT,
  )
})
