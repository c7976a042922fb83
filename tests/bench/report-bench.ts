import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { DEFAULT_BUDGETS } from '../../src/core/agents/types.js'
import { buildReport } from '../../src/core/evaluation/report.js'
import { readEventLog } from '../../src/core/run/event-log.js'
import { listRunIds, runPaths } from '../../src/core/run/paths.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'

type Json = Record<string, unknown>

// Run from the package root, like the other benchmarks (the bundle lives elsewhere).
const fixtures = resolve(process.cwd(), 'tests/fixtures/contracts')
const models = { strong: 'gpt-4.1', fast: 'gpt-4.1-mini' }
const FAST = new Set(['implementation', 'infra', 'buildtest'])
const agents = ['architect', 'product', 'buildtest', 'integrator', 'reviewer', 'infra', 'implementation'].map(
  (id, i) => ({ id, authority: 10 - i, budgets: DEFAULT_BUDGETS }),
)

/** A small deterministic generator, so that every bench run writes the same logs. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32
}

/** Lines of one run's log as the event log writes them: v, seq and ts first. */
function runLog(id: string, index: number, outputs: Record<string, Json>, next: () => number): string {
  const lines: string[] = []
  let ms = Date.UTC(2025, 0, 1) + index * 3_600_000
  const add = (event: Json) => {
    ms += 50 + Math.floor(next() * 4000)
    const ts = new Date(ms).toISOString()
    lines.push(`{"v":1,"seq":${lines.length + 1},"ts":"${ts}",${JSON.stringify(event).slice(1)}`)
  }
  const options = { provider: 'openai', approve: 'ask' }
  add({
    type: 'run.started',
    run_id: id,
    requirement: 'Add rate limiting to login',
    root: '/repo',
    workflow: DEFAULT_WORKFLOW,
    options,
  })
  const visits: Record<string, number> = {}
  const work = (stage: string, errors = 0): string => {
    const agent = DEFAULT_WORKFLOW.stages.find((s) => s.id === stage)?.agent ?? 'architect'
    const visit = (visits[stage] = (visits[stage] ?? 0) + 1)
    const at = { agent, stage }
    add({ type: 'stage.started', stage, agent, visit })
    const items = Array.from({ length: 12 }, (_, i) => ({
      kind: 'file',
      name: `src/module-${i}.ts`,
      tokens: 400 + i,
    }))
    add({ type: 'stage.context', ...at, visit, budget: 8000, tokens: 5000, items, left_out: ['src/big.ts'] })
    const model = FAST.has(agent) ? models.fast : models.strong
    for (let attempt = 1; attempt <= 1 + (errors > 0 ? 1 : 0); attempt++) {
      add({ type: 'agent.attempt_started', ...at, attempt, model })
      const usage = {
        prompt_tokens: 6000 + Math.floor(next() * 6000),
        completion_tokens: 800 + Math.floor(next() * 2000),
      }
      if (next() < 0.3) {
        add({
          type: 'agent.output_received',
          ...at,
          attempt,
          usage,
          cost_usd: 0.01,
          chars: 200,
          tool_calls: 1,
        })
        add({
          type: 'agent.tool_called',
          ...at,
          attempt,
          tool: 'read_file',
          arguments: '{"path":"src/a.ts"}',
          ok: true,
          chars: 3000,
        })
      }
      add({ type: 'agent.output_received', ...at, attempt, usage, cost_usd: 0.02, chars: 6000 })
      const violation = {
        rule_id: next() < 0.2 ? 'CS-PATH' : 'IMPL-003',
        severity: 'error',
        message: 'm',
        location: '/x',
        suggested_fix: 'f',
      }
      if (attempt === 1 && errors > 0)
        add({
          type: 'agent.violations',
          ...at,
          attempt,
          violations: Array(errors).fill(violation),
          will_repair: true,
        })
      else add({ type: 'agent.accepted', ...at, attempt, warnings: [] })
    }
    if (stage === 'implementation' || stage === 'infra') {
      const diff = `diff --git a/src/login.ts b/src/login.ts\n${'+ const limiter = createLimiter({ max: 5 })\n'.repeat(120)}`
      add({
        type: 'effect.recorded',
        ...at,
        kind: 'changeset',
        name: 'CS_0123456789ab',
        detail: 'intent',
        commit: 'f'.repeat(40),
        diff,
      })
    } else
      add({
        type: 'effect.recorded',
        ...at,
        kind: 'artifact',
        name: 'ARCHITECTURE.md',
        detail: '4000 characters',
      })
    if (stage === 'build_test')
      add({
        type: 'pipeline.finished',
        stage,
        passed: true,
        steps: [{ name: 'test', exit_code: 0, timed_out: false, duration_ms: 900 }],
      })
    return agent
  }
  const pass = (stage: string) => {
    const agent = work(stage, next() < 0.15 ? 1 + Math.floor(next() * 3) : 0)
    add({ type: 'stage.passed', stage, agent, visit: visits[stage], output: outputs[stage] })
  }
  pass('requirements')
  pass('architecture')
  pass('implementation')
  pass('infra')
  if (next() < 0.3) {
    work('review')
    const context = {
      source_stage: 'review',
      summary: 'The limiter is not wired into the route yet.',
      attempt: 1,
    }
    const next1 = { kind: 'reopen', stage: 'implementation', from: 'review', loop: 1, budget: 3, context }
    add({
      type: 'stage.failed',
      stage: 'review',
      agent: 'reviewer',
      visit: 1,
      reason: 'verdict',
      message: 'review did not pass',
      output: outputs.review,
      next: next1,
    })
    if (next() < 0.3) {
      const agent = work('implementation')
      add({
        type: 'gate.requested',
        gate_id: `g-${id.slice(-4)}`,
        stage: 'implementation',
        agent,
        visit: 2,
        output: outputs.implementation,
        summary: 'ChangeSet',
      })
      const decision = next() < 0.8 ? 'approve' : 'reject'
      const after =
        decision === 'approve'
          ? { kind: 'pass', stage: 'implementation', output: outputs.implementation }
          : { kind: 'rerun', stage: 'implementation', feedback: 'no' }
      add({ type: 'gate.answered', gate_id: `g-${id.slice(-4)}`, decision, by: 'cli', next: after })
      if (decision === 'reject') pass('implementation')
    } else pass('implementation')
  }
  if (next() < 0.03) {
    add({ type: 'stage.started', stage: 'review', agent: 'reviewer', visit: (visits.review ?? 0) + 1 })
    add({
      type: 'agent.failed',
      agent: 'reviewer',
      stage: 'review',
      attempt: 0,
      reason: 'budget',
      message: 'spent',
      violations: [],
    })
    add({ type: 'run.finished', status: 'failed', message: 'budget spent' })
    return lines.join('\n') + '\n'
  }
  for (const stage of ['review', 'build_test', 'integration', 'final_approval']) pass(stage)
  add({
    type: 'integration.started',
    target: 'main',
    from: 'a'.repeat(40),
    to: 'b'.repeat(40),
    strategy: 'commits',
  })
  add({ type: 'integration.finished', status: 'merged', message: 'main moved' })
  add({ type: 'run.finished', status: 'passed', message: 'every stage passed' })
  return lines.join('\n') + '\n'
}

/** Writes `count` realistic run logs under `<root>/.macds/runs`; returns their total size in bytes. */
export async function writeRunLogs(root: string, count: number): Promise<number> {
  const outputs: Record<string, Json> = {}
  for (const stage of [
    'requirements',
    'architecture',
    'implementation',
    'infra',
    'review',
    'build_test',
    'integration',
    'final_approval',
  ])
    outputs[stage] = (
      parse(await readFile(join(fixtures, `${stage}.valid.yaml`), 'utf8')) as { output: Json }
    ).output
  const next = random(42)
  let bytes = 0
  for (let i = 0; i < count; i++) {
    const id = `r-20250101-${String(i).padStart(6, '0')}-${(i * 7919).toString(16).padStart(4, '0').slice(-4)}`
    const text = runLog(id, i, outputs, next)
    bytes += Buffer.byteLength(text)
    await mkdir(runPaths(root, id).dir, { recursive: true })
    await writeFile(runPaths(root, id).events, text)
  }
  return bytes
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/**
 * Times `buildReport` over 1,000 realistic run logs (reviews that send work back, gates, violations,
 * diffs and contexts in the logs), median of `repeats` after a warm-up, against reading the same logs
 * whole with readEventLog. Writes under `dir` and removes it afterwards. Target: < 1,000 ms.
 */
export async function benchReport(
  dir: string,
  runs = 1000,
  repeats = 5,
): Promise<{ runs: number; megabytes: number; reportMs: number; readAllMs: number }> {
  await rm(dir, { recursive: true, force: true })
  try {
    const bytes = await writeRunLogs(dir, runs)
    const options = { agents, config: { models } }
    await buildReport(dir, options)
    const reportMs: number[] = []
    for (let i = 0; i < repeats; i++) {
      const start = performance.now()
      await buildReport(dir, options)
      reportMs.push(performance.now() - start)
    }
    const start = performance.now()
    for (const id of await listRunIds(dir)) await readEventLog(runPaths(dir, id).events)
    const readAllMs = performance.now() - start
    return { runs, megabytes: bytes / 1e6, reportMs: median(reportMs), readAllMs }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
