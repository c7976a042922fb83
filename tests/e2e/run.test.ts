import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sampleRepo, sampleSteps } from '../helpers/sample-repo.js'
import { runCli } from '../helpers/cli.js'
import {
  buildTest,
  fixtureOutput,
  passingOutputs,
  runEvents,
  runProject,
  STAGE_AGENTS,
  stepsFor,
  requestChanges,
  runIdOf,
} from '../helpers/run-project.js'
import { promptText } from '../helpers/prompts.js'

const REQUIREMENT = 'Add rate limiting to the login endpoint'

describe('macds run', () => {
  it('runs the whole workflow on a script and passes', async () => {
    const root = await runProject(stepsFor(await passingOutputs()))
    const { code, stdout, stderr } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(stderr).toBe('')
    expect(stdout).toMatch(/final_approval\s+architect\s+#1 passed \(\d+ tokens/)
    expect(stdout).toMatch(/run r-\S+ passed: every stage passed/)
    expect(code).toBe(0)
    const events = await runEvents(root, runIdOf(stdout))
    const passed = events.filter((e) => e.type === 'stage.passed').map((e) => e.stage)
    expect(passed.sort()).toEqual(
      [
        'architecture',
        'build_test',
        'final_approval',
        'implementation',
        'infra',
        'integration',
        'requirements',
        'review',
      ].sort(),
    )
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(
      events.some(
        (e) =>
          e.type === 'effect.recorded' && e.kind === 'changeset' && /^CS_[0-9a-f]{12}$/.test(String(e.name)),
      ),
    ).toBe(true)
  })

  it('shows agents the repository of a git work tree, and lets them read it with tools', async () => {
    const steps = await sampleSteps()
    const architect = steps.findIndex((s) => s.stage === 'architecture')
    const reads = [
      { name: 'read_file', arguments: { path: 'src/greet.js' } },
      { name: 'read_file', arguments: { path: '.env' } },
    ]
    steps.splice(architect, 0, { agent: 'architect', stage: 'architecture', tool_calls: reads })
    // The secret is committed, so it is in the run's worktree too: the read policy alone keeps it out.
    const root = await sampleRepo(steps, {
      edit: (dir) => writeFile(join(dir, '.env'), 'SESSION_SECRET=do-not-read-me-0123456789\n'),
    })
    const { code, stdout } = await runCli(['run', REQUIREMENT, '--approve', 'auto'], { cwd: root })
    expect(code).toBe(0)
    const events = await runEvents(root, runIdOf(stdout))
    const context = events.find((e) => e.type === 'stage.context' && e.stage === 'architecture')
    expect(context).toMatchObject({ agent: 'architect', budget: 8000 })
    expect(Number(context?.tokens)).toBeGreaterThan(0)
    expect(Number(context?.tokens)).toBeLessThanOrEqual(8000)
    expect(JSON.stringify(context?.items)).toContain('repository map')
    const tools = events.filter((e) => e.type === 'agent.tool_called')
    expect(tools.map((e) => [e.tool, e.ok])).toEqual([
      ['read_file', true],
      ['read_file', false],
    ])
    const prompts = await readdir(join(root, '.macds', 'prompts'))
    expect(prompts.every((p) => p.endsWith('.jsonl'))).toBe(true)
    const texts = await Promise.all(prompts.map((p) => readFile(join(root, '.macds', 'prompts', p), 'utf8')))
    expect(texts.join('\n')).toContain('export function greet(name)')
    expect(texts.join('\n')).not.toContain('do-not-read-me')
  })

  it('writes no secret to the event log, the prompts, memory or the screen', async () => {
    const secret = 'sk-proj-0123456789abcdefghijKLMN'
    const outputs = await passingOutputs()
    // A model that repeats a key in a note: the note is kept, the key is not.
    outputs.requirements = {
      ...outputs.requirements,
      memory_notes: [{ scope: 'project', text: `Staging uses ${secret}` }],
    }
    const root = await runProject(stepsFor(outputs))
    const envSecret = 'hunter2-is-not-a-good-password'
    const requirement = `${REQUIREMENT}; the staging key is ${secret} and ${envSecret}`
    const { code, stdout } = await runCli(['run', requirement, '--json'], {
      cwd: root,
      env: { DEPLOY_PASSWORD: envSecret },
    })
    expect(code).toBe(0)
    expect(stdout).not.toContain(secret)
    expect(stdout).not.toContain(envSecret)
    const files = [
      ...(await readdir(join(root, '.macds'), { recursive: true, withFileTypes: true })),
      ...(await readdir(join(root, 'memory'), { withFileTypes: true })),
    ]
    const paths = files.filter((f) => f.isFile()).map((f) => join(f.parentPath, f.name))
    const texts = await Promise.all(paths.map((path) => readFile(path, 'utf8')))
    expect(await readFile(join(root, 'memory', 'project.jsonl'), 'utf8')).toContain('Staging uses [REDACTED]')
    // What is checked: the event log, the prompts and the memory, at least.
    const { run_id: runId } = JSON.parse(stdout.split('\n')[0] ?? '') as { run_id: string }
    for (const kept of ['events.jsonl', `${runId}.jsonl`, 'project.jsonl'])
      expect(paths.some((path) => path.endsWith(kept))).toBe(true)
    for (const text of texts) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(envSecret)
    }
    expect(texts.join('\n')).toContain('[REDACTED]')
  })

  it('prints one JSON event per line and nothing else with --json', async () => {
    const root = await runProject(stepsFor(await passingOutputs()))
    const { code, stdout } = await runCli(['run', REQUIREMENT, '--json'], { cwd: root })
    expect(code).toBe(0)
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; v: number })
    expect(events[0]).toMatchObject({ type: 'run.started', v: 1, requirement: REQUIREMENT })
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' })
  })

  it('re-opens implementation when review requests changes, twice, then passes', async () => {
    const outputs = await passingOutputs()
    const review = await fixtureOutput('review')
    const changes = requestChanges(review)
    const steps = [
      ...stepsFor(outputs, ['requirements', 'architecture', 'infra']),
      ...stepsFor(outputs, ['implementation', 'implementation', 'implementation']),
      { agent: 'reviewer', stage: 'review', output: changes },
      { agent: 'reviewer', stage: 'review', output: changes },
      { agent: 'reviewer', stage: 'review', output: review },
      ...stepsFor(outputs, ['build_test', 'build_test', 'build_test', 'integration', 'final_approval']),
    ]
    const root = await runProject(steps)
    const { code, stdout } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(stdout).toMatch(
      /review\s+reviewer\s+#1 failed[\s\S]*→ re-opens implementation \(loop 1 of 3\): The limiter is not wired/,
    )
    expect(stdout).toMatch(/→ re-opens implementation \(loop 2 of 3\)/)
    expect(stdout).toMatch(/review\s+reviewer\s+#3 passed/)
    expect(code).toBe(0)
    const events = await runEvents(root, runIdOf(stdout))
    const started = events.filter((e) => e.type === 'stage.started' && e.stage === 'implementation')
    expect(started.map((e) => e.visit)).toEqual([1, 2, 3])
  })

  it('stops a stage in flight when its upstream is re-opened, and runs it again afterwards', async () => {
    const outputs = await passingOutputs()
    const review = await fixtureOutput('review')
    // build_test's first answer would take 20 s: the review's failure re-opens implementation, and so
    // build_test, 0.3 s into it.
    const steps = [
      ...stepsFor(outputs, ['requirements', 'architecture', 'infra', 'implementation']),
      { agent: 'reviewer', stage: 'review', output: requestChanges(review), delay_ms: 300 },
      { agent: 'buildtest', stage: 'build_test', output: outputs.build_test, delay_ms: 20_000 },
      ...stepsFor(outputs, ['implementation', 'review', 'build_test', 'integration', 'final_approval']),
    ]
    const root = await runProject(steps)
    const { code, stdout } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(code, stdout).toBe(0)
    const events = await runEvents(root, runIdOf(stdout))
    const at = (type: string, stage: string, visit: number) =>
      events.findIndex((e) => e.type === type && e.stage === stage && e.visit === visit)
    expect(at('stage.started', 'build_test', 1)).toBeGreaterThan(0)
    // Stopped at once, before the second implementation even passed; its answer never came.
    expect(at('stage.discarded', 'build_test', 1)).toBeGreaterThan(at('stage.failed', 'review', 1))
    expect(at('stage.discarded', 'build_test', 1)).toBeLessThan(at('stage.passed', 'implementation', 2))
    expect(at('stage.passed', 'build_test', 2)).toBeGreaterThan(at('stage.passed', 'implementation', 2))
    const answers = events.filter((e) => e.type === 'agent.output_received' && e.stage === 'build_test')
    expect(answers).toHaveLength(1)
  })

  it('escalates a spent loop budget to the architect and applies the ruling', async () => {
    const outputs = await passingOutputs()
    const fail = buildTest('fail')
    const ruling = {
      ruling: 'require_change',
      required_change: {
        agent: 'implementation',
        change: 'Call limiter.check() before verifying the password in src/routes/login.ts.',
      },
      rationale:
        'The tests are right: the limiter must guard the route; the implementation has to wire it in.',
    }
    const steps = [
      ...stepsFor(outputs, ['requirements', 'architecture', 'infra']),
      ...stepsFor(outputs, Array(5).fill('implementation')),
      ...stepsFor(outputs, Array(5).fill('review')),
      ...Array.from({ length: 4 }, () => ({ agent: 'buildtest', stage: 'build_test', output: fail })),
      { agent: 'architect', stage: 'escalation', output: ruling },
      ...stepsFor(outputs, ['build_test', 'integration', 'final_approval']),
    ]
    const root = await runProject(steps)
    const { code, stdout } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(stdout).toMatch(/→ re-opens implementation \(loop 3 of 3\)/)
    expect(stdout).toMatch(/→ escalation e-[0-9a-f]{6} to architect: buildtest \(8\) vs implementation \(5\)/)
    expect(stdout).toMatch(
      /escalation e-\S+ ruled by architect: require_change[\s\S]*→ re-opens implementation \(loop 3 of 4\): Call limiter\.check\(\)/,
    )
    expect(stdout).toMatch(/build_test\s+buildtest\s+#5 passed/)
    expect(code).toBe(0)
    const events = await runEvents(root, runIdOf(stdout))
    const ruled = events.find((e) => e.type === 'escalation.ruled')
    expect(ruled).toMatchObject({
      by: 'architect',
      ruling: 'require_change',
      next: { kind: 'reopen', stage: 'implementation' },
    })
  })

  it('escalates a ChangeSet the reviewer rejects twice; upholding the implementer passes the review', async () => {
    const outputs = await passingOutputs()
    const reject = { ...requestChanges(await fixtureOutput('review')), verdict: 'reject' }
    const ruling = {
      ruling: 'uphold',
      upheld_agent: 'implementation',
      rationale:
        'The ChangeSet follows ADR-3; the concern belongs in a new decision, not in a review blocker.',
    }
    const steps = [
      ...stepsFor(outputs, ['requirements', 'architecture', 'infra', 'implementation', 'implementation']),
      { agent: 'reviewer', stage: 'review', output: reject },
      { agent: 'reviewer', stage: 'review', output: reject },
      { agent: 'architect', stage: 'escalation', output: ruling },
      ...stepsFor(outputs, ['build_test', 'build_test', 'build_test', 'integration', 'final_approval']),
    ]
    const root = await runProject(steps)
    const { code, stdout } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(stdout).toMatch(
      /→ escalation e-[0-9a-f]{6} to architect: reviewer \(7\) vs implementation \(5\): reviewer rejected ChangeSet CS_[0-9a-f]{12} twice/,
    )
    expect(stdout).toMatch(/ruled by architect: uphold implementation[\s\S]*→ review passes/)
    expect(code, stdout).toBe(0)
  })

  it('re-opens architecture when final approval names unmet criteria', async () => {
    const outputs = await passingOutputs()
    const approval = await fixtureOutput('final_approval')
    const met = approval.requirements_met as { met: boolean }[]
    const rejection = {
      ...approval,
      decision: 'reject',
      summary: 'REQ-1 is not met: the limits are hard-coded.',
      requirements_met: met.map((r, i) => (i === 0 ? { ...r, met: false } : r)),
      required_changes: ['Read LOGIN_MAX_ATTEMPTS and LOGIN_WINDOW_SECONDS from configuration'],
    }
    const all = Object.keys(STAGE_AGENTS)
    const steps = [
      ...stepsFor(
        outputs,
        all.filter((s) => s !== 'final_approval'),
      ),
      { agent: 'architect', stage: 'final_approval', output: rejection },
      ...stepsFor(
        outputs,
        all.filter((s) => s !== 'requirements'),
      ),
    ]
    const root = await runProject(steps)
    const { code, stdout } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(stdout).toMatch(
      /final_approval\s+architect\s+#1 failed[\s\S]*→ re-opens architecture \(loop 1 of 3\): REQ-1 is not met/,
    )
    expect(stdout).toMatch(/final_approval\s+architect\s+#2 passed/)
    expect(code).toBe(0)
    expect(await promptText(root, runIdOf(stdout), { stage: 'architecture', visit: 2 })).toContain(
      'Read LOGIN_MAX_ATTEMPTS and LOGIN_WINDOW_SECONDS',
    )
  })

  it('refuses a workflow naming an unknown agent before anything runs, exit 2', async () => {
    const root = await runProject([], async (dir) => {
      const stages = '  stages:\n    - { id: plan, agent: planner, contract: architecture }\n'
      await writeFile(
        join(dir, 'macds.yaml'),
        `version: 1\nprovider: scripted\nscript: script.yaml\nworkflow:\n${stages}`,
      )
    })
    const { code, stderr } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(code).toBe(2)
    expect(stderr).toMatch(
      /the workflow cannot run:\n +macds\.yaml \/workflow\/stages\/0\/agent: stage 'plan' names an unknown agent 'planner'/,
    )
    expect(stderr).toContain('Known agents: architect, buildtest')
  })

  it('fails a stage whose contract does not exist cleanly: exit 1, a message, no stack, no lock left', async () => {
    const root = await runProject(stepsFor(await passingOutputs(), ['requirements']), async (dir) => {
      const stages =
        '  stages:\n    - { id: requirements, agent: product }\n    - { id: plan, agent: architect, contract: planning, depends_on: [requirements] }\n'
      await writeFile(
        join(dir, 'macds.yaml'),
        `version: 1\nprovider: scripted\nscript: script.yaml\nworkflow:\n${stages}`,
      )
    })
    const { code, stdout, stderr } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(code).toBe(1)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/plan\s+architect\s+#1 failed: plan could not run: no contract named 'planning'/)
    const runDir = join(root, '.macds', 'runs', runIdOf(stdout))
    expect(await readdir(runDir)).not.toContain('lock')
  })

  it('fails with exit 1 and leaves the rest skipped when an agent cannot answer', async () => {
    const outputs = await passingOutputs()
    const root = await runProject(stepsFor(outputs, ['requirements']))
    const { code, stdout } = await runCli(['run', REQUIREMENT], { cwd: root })
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /architecture\s+architect\s+#1 failed: architect could not complete architecture: the script script\.yaml has no step left for architect/,
    )
    const status = await runCli(['status', '--json'], { cwd: root })
    const [run] = (
      JSON.parse(status.stdout) as { runs: { status: string; stages: { id: string; status: string }[] }[] }
    ).runs
    expect(run?.status).toBe('failed')
    expect(run?.stages.find((s) => s.id === 'final_approval')?.status).toBe('skipped')
  })
})
