import { execFileSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot, runCli } from '../helpers/cli.js'
import { sh } from '../helpers/git-repo.js'
import { tempDir } from '../helpers/temp.js'

const DEMO = join(repoRoot, 'src/demo')
const TIMEOUT = 90_000

type Json = Record<string, unknown>
type Event = Json & { type: string }

/** Every string in a value, with where it is. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]]
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}/${i}`))
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}/${k}`))
  return []
}

describe('the demo script', () => {
  it('names only paths inside the repository', async () => {
    const text = await readFile(join(DEMO, 'script.yaml'), 'utf8')
    for (const absolute of [repoRoot, tmpdir(), '/home/', '/Users/', '/tmp/', 'C:\\'])
      expect(text, absolute).not.toContain(absolute)
    const script = parse(text) as { steps: Json[] }
    const paths = strings(script.steps).filter(([at]) =>
      /\/(path|files\/\d+|tests_to_run\/\d+|file|glob|module)$/.test(at),
    )
    expect(paths.length).toBeGreaterThan(20)
    for (const [at, path] of paths) {
      expect(isAbsolute(path), `${at}: ${path}`).toBe(false)
      expect(path.split('/'), `${at}: ${path}`).not.toContain('..')
    }
    // The script itself is placed inside the repository, by a relative path.
    const settings = parse(await readFile(join(DEMO, 'macds.yaml'), 'utf8')) as { script: string }
    expect(isAbsolute(settings.script)).toBe(false)
  })

  it(
    'shows every part of a run on the sample, which lands on main with its tests passing',
    async () => {
      const root = join(await tempDir('macds-demo-'), 'demo')
      const { code, stdout, stderr } = await runCli(['demo', '--headless', '--dir', root], {
        timeoutMs: TIMEOUT - 10_000,
      })
      const steps = (parse(await readFile(join(DEMO, 'script.yaml'), 'utf8')) as { steps: Json[] }).steps
      // The demo says where its repository is, before and after the run.
      expect(stdout.split('\n')[0]).toBe(`The demo repository is ${root}`)
      expect(stdout).toContain(`git -C ${root} log --oneline --all`)
      const base = sh(root, 'rev-parse', 'main~0^{/Set up macds}')
      const [runId = ''] = await readdir(join(root, '.macds', 'runs'))
      const events = (await readFile(join(root, '.macds', 'runs', runId, 'events.jsonl'), 'utf8'))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Event)
      const explain = () => `${stderr}\n${events.map((e) => JSON.stringify(e).slice(0, 300)).join('\n')}`
      expect(code, explain()).toBe(0)
      const of = (type: string, match: Json = {}) =>
        events.filter((e) => e.type === type && Object.entries(match).every(([k, v]) => e[k] === v))
      const index = (event: Event | undefined) => events.indexOf(event as Event)
      expect(of('run.finished')).toEqual([expect.objectContaining({ status: 'passed' })])

      // The script is followed exactly: every step answers one call, and no step is left over.
      expect(of('agent.failed')).toEqual([])
      if (of('stage.discarded').length === 0) expect(of('agent.output_received')).toHaveLength(steps.length)

      // 1. Requirements and architecture are written to their artifacts, each change a commit on main.
      for (const [name, agent] of [
        ['REQUIREMENTS.md', 'product'],
        ['RISK_REGISTER.md', 'product'],
        ['ARCHITECTURE.md', 'architect'],
        ['API_CONTRACTS.yaml', 'architect'],
      ] as const) {
        const [effect] = of('effect.recorded', { kind: 'artifact', name, agent })
        expect(effect?.commit, name).toMatch(/^[0-9a-f]{40}$/)
        sh(root, 'merge-base', '--is-ancestor', String(effect?.commit), 'main')
        expect(sh(root, 'log', '-1', '--format=%an', String(effect?.commit))).toBe(`macds ${agent}`)
      }
      expect(sh(root, 'show', 'main:artifacts/REQUIREMENTS.md')).toContain('REQ-1 Say goodbye by name')
      expect(sh(root, 'show', 'main:artifacts/ARCHITECTURE.md')).toContain('INV-2')

      // 2. Two implementation tasks with disjoint files, asked at once, each committed on its own.
      const architecture = of('stage.passed', { stage: 'architecture' })[0]?.output as {
        tasks: { id: string; files: string[] }[]
      }
      expect(architecture.tasks.map((t) => t.id)).toEqual(['TASK-1', 'TASK-2'])
      const files = architecture.tasks.flatMap((t) => t.files)
      expect(new Set(files).size).toBe(files.length)
      const firstVisit = (type: string) =>
        of(type, { agent: 'implementation', stage: 'implementation' }).filter(
          (e) => index(e) < index(of('stage.passed', { stage: 'implementation' })[0]),
        )
      const started = firstVisit('agent.attempt_started')
      expect(started.map((e) => e.task).sort()).toEqual(['TASK-1', 'TASK-2'])
      // Both were asked before either answer was accepted: the tasks ran in parallel.
      const accepted = firstVisit('agent.accepted')
      expect(Math.max(...started.map(index))).toBeLessThan(Math.min(...accepted.map(index)))
      for (const task of architecture.tasks) {
        const commits = sh(
          root,
          'log',
          '--format=%H',
          `--grep=^Macds-Stage: implementation/${task.id}$`,
          `${base}..main`,
        )
          .split('\n')
          .filter((l) => l !== '')
        expect(commits.length, task.id).toBeGreaterThanOrEqual(1)
        for (const commit of commits) {
          const touched = sh(root, 'show', '--name-only', '--format=', commit).split('\n')
          for (const path of touched) expect(task.files, `${task.id} wrote ${path}`).toContain(path)
        }
      }

      // 3. A contract violation repaired: the architect's first answer breaks ARCH-009.
      const [violations] = of('agent.violations', { agent: 'architect', stage: 'architecture', attempt: 1 })
      expect(violations).toMatchObject({
        will_repair: true,
        violations: [expect.objectContaining({ rule_id: 'ARCH-009', severity: 'error' })],
      })
      const [repaired] = of('agent.repaired', { agent: 'architect', stage: 'architecture', attempt: 2 })
      expect(index(repaired)).toBeGreaterThan(index(violations))

      // 4. A real failing test sends build_test's verdict back to implementation; the fix passes.
      const pipelines = of('pipeline.finished')
      expect(pipelines.map((p) => p.passed)).toEqual([false, true, false, true])
      expect(pipelines[0]?.steps).toEqual([
        expect.objectContaining({ name: 'install', exit_code: 0 }),
        expect.objectContaining({ name: 'test', exit_code: 1 }),
      ])
      // The first ChangeSet of implementation is the one that failed.
      const changesetsBefore = of('effect.recorded', { kind: 'changeset', agent: 'implementation' }).filter(
        (e) => index(e) < index(pipelines[0] as Event),
      )
      expect(changesetsBefore).toHaveLength(1)
      const [buildFailed] = of('stage.failed', { stage: 'build_test' })
      expect(buildFailed).toMatchObject({
        reason: 'verdict',
        next: { kind: 'reopen', stage: 'implementation', from: 'build_test', loop: 1 },
      })
      expect(index(buildFailed)).toBeGreaterThan(index(pipelines[0] as Event))
      const builds = of('stage.passed', { stage: 'build_test' })
      expect(builds.length).toBeGreaterThanOrEqual(1)
      expect(index(builds[0])).toBeGreaterThan(index(buildFailed))

      // 5. The reviewer rejects the same ChangeSet twice; the architect rules for implementation.
      const rejections = of('stage.failed', { stage: 'review' })
      expect(rejections).toHaveLength(2)
      const [first, second] = rejections
      expect(first?.rejected_changeset).toMatch(/^CS_[0-9a-f]{12}$/)
      expect(second?.rejected_changeset).toBe(first?.rejected_changeset)
      expect(first?.next).toMatchObject({ kind: 'reopen', stage: 'implementation', from: 'review' })
      expect(second?.next).toMatchObject({
        kind: 'escalate',
        conflict: {
          kind: 'review_rejected_twice',
          agents: [
            expect.objectContaining({ agent: 'reviewer', authority: 7 }),
            expect.objectContaining({ agent: 'implementation', authority: 5 }),
          ],
        },
        arbiter: { agent: 'architect', authority: 10 },
      })
      const escalationId = (second?.next as { escalation_id: string }).escalation_id
      expect(of('escalation.ruled', { escalation_id: escalationId })).toEqual([
        expect.objectContaining({
          by: 'architect',
          ruling: 'uphold',
          upheld_agent: 'implementation',
          next: expect.objectContaining({ kind: 'pass', stage: 'review' }),
        }),
      ])
      expect(sh(root, 'show', 'main:artifacts/DESIGN_DECISIONS.log')).toContain(
        `RULING ${escalationId} by architect: uphold`,
      )

      // 6. A supervised agent's decision waits for a person (answered by --approve auto here).
      const [runStarted] = of('run.started')
      const autonomy = (runStarted?.autonomy ?? {}) as Record<string, { value: number; level: string }>
      expect(autonomy.infra?.level).toBe('supervised')
      expect(autonomy.infra?.value).toBeCloseTo(0.35, 5)
      for (const [agent, standing] of Object.entries(autonomy))
        if (agent !== 'infra') expect(standing.level, agent).toBe('standard')
      const gates = of('gate.requested')
      expect(gates).toEqual([
        expect.objectContaining({
          agent: 'infra',
          stage: 'infra',
          reasons: ["infra's autonomy (0.35) is below the low threshold: a person decides."],
        }),
      ])
      expect(of('gate.answered', { gate_id: gates[0]?.gate_id })).toEqual([
        expect.objectContaining({ decision: 'approve', by: 'auto' }),
      ])

      // 7. Integration merges into main, and main passes the sample's own tests.
      expect(of('integration.finished')).toEqual([expect.objectContaining({ status: 'merged' })])
      expect(sh(root, 'show', 'main:src/farewell.js')).toContain("name.trim() || 'world'")
      expect(sh(root, 'show', 'main:src/shout.js')).toContain('toUpperCase')
      expect(sh(root, 'show', 'main:.nvmrc')).toBe('20')
      expect(sh(root, 'rev-parse', 'HEAD')).toBe(sh(root, 'rev-parse', 'main'))
      expect(sh(root, 'status', '--porcelain')).toBe('')
      const tests = execFileSync(process.execPath, ['--test'], { cwd: root, encoding: 'utf8' })
      expect(tests).toMatch(/^# pass 5$/m)
      expect(tests).toMatch(/^# fail 0$/m)
    },
    TIMEOUT,
  )
})
