import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DEFAULT_BUDGETS } from '../../src/core/agents/types.js'
import type { Violation } from '../../src/core/contracts/types.js'
import {
  autonomy,
  autonomyLevel,
  DEFAULT_EVALUATION,
  emptyBook,
  loadScores,
  recordRunScores,
  saveScores,
  scoreRun,
  scoresPath,
  type ScoredEvent,
  type ScoreBook,
  updateScores,
} from '../../src/core/evaluation/index.js'
import { EventLog } from '../../src/core/run/event-log.js'
import { runPaths } from '../../src/core/run/paths.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import { tempDir } from '../helpers/temp.js'

const repo = resolve(import.meta.dirname, '../..')
const AGENT = Object.fromEntries(DEFAULT_WORKFLOW.stages.map((s) => [s.id, s.agent]))
const agents = [...new Set(Object.values(AGENT))].map((id) => ({ id, budgets: DEFAULT_BUDGETS }))
const config = DEFAULT_EVALUATION
const error: Violation = {
  rule_id: 'IMPL-001',
  severity: 'error',
  message: 'm',
  location: '/',
  suggested_fix: 'f',
}

/** One visit: an answer per entry of `errors` (that many error violations each); `give_up` ends it without an accepted answer. */
function visit(stage: string, n: number, errors: number[] = [0], giveUp = false): ScoredEvent[] {
  const agent = AGENT[stage] ?? stage
  const events: ScoredEvent[] = [{ type: 'stage.started', stage, agent, visit: n }]
  errors.forEach((count, i) => {
    const at = { agent, stage, attempt: i + 1 }
    const usage = { prompt_tokens: 6000, completion_tokens: 1500 }
    events.push({ type: 'agent.attempt_started', ...at, model: 'gpt-4.1-mini' })
    events.push({ type: 'agent.output_received', ...at, usage, cost_usd: 0.01, chars: 900 })
    if (count > 0)
      events.push({
        type: 'agent.violations',
        ...at,
        violations: Array(count).fill(error),
        will_repair: true,
      })
    else events.push({ type: 'agent.accepted', ...at, warnings: [] })
  })
  if (giveUp) {
    const at = { agent, stage, attempt: errors.length }
    events.push({
      type: 'agent.failed',
      ...at,
      reason: 'violations',
      message: 'gave up',
      violations: [error],
    })
  }
  return events
}

const pass = (stage: string, n = 1): ScoredEvent => ({
  type: 'stage.passed',
  stage,
  agent: AGENT[stage] ?? stage,
  visit: n,
  output: {},
})

/** A run of the default workflow in which the implementation agent either does everything right or keeps failing. */
function run(id: string, implementation: 'succeeds' | 'fails'): ScoredEvent[] {
  const options = { provider: 'scripted', script: undefined, approve: 'ask' as const }
  const start: ScoredEvent = {
    type: 'run.started',
    run_id: id,
    requirement: 'r',
    root: '/',
    workflow: DEFAULT_WORKFLOW,
    options,
  }
  const upstream = [
    start,
    ...visit('requirements', 1),
    pass('requirements'),
    ...visit('architecture', 1),
    pass('architecture'),
  ]
  if (implementation === 'succeeds') {
    const rest = ['implementation', 'infra', 'review', 'build_test', 'integration', 'final_approval']
    return [...upstream, ...rest.flatMap((s) => [...visit(s, 1), pass(s)])]
  }
  const context = { source_stage: 'review', summary: 'the limiter is not wired', attempt: 1 }
  const reopen = {
    kind: 'reopen' as const,
    stage: 'implementation',
    from: 'review',
    loop: 1,
    budget: 3,
    context,
  }
  return [
    ...upstream,
    // Three errors, repaired twice; review then sends it back.
    ...visit('implementation', 1, [3, 1, 0]),
    pass('implementation'),
    ...visit('review', 1),
    {
      type: 'stage.failed',
      stage: 'review',
      agent: 'reviewer',
      visit: 1,
      reason: 'verdict',
      message: 'no',
      next: reopen,
    },
    // Two errors, one repair; a person rejects it at the gate.
    ...visit('implementation', 2, [2, 0]),
    {
      type: 'gate.requested',
      gate_id: 'g1',
      stage: 'implementation',
      agent: 'implementation',
      visit: 2,
      output: {},
      summary: 's',
    },
    {
      type: 'gate.answered',
      gate_id: 'g1',
      decision: 'reject',
      by: 'cli',
      next: { kind: 'rerun', stage: 'implementation', feedback: 'no' },
    },
    // Four errors, three times: it gives up and the run fails.
    ...visit('implementation', 3, [4, 4, 4], true),
    {
      type: 'stage.failed',
      stage: 'implementation',
      agent: 'implementation',
      visit: 3,
      reason: 'violations',
      message: 'x',
      next: { kind: 'fail_run', message: 'x' },
    },
  ]
}

/** Records `count` runs in turn and returns the implementation agent's autonomy after each. */
function trajectory(count: number, kind: 'succeeds' | 'fails'): { book: ScoreBook; values: number[] } {
  let book = emptyBook()
  const values: number[] = []
  for (let i = 1; i <= count; i++) {
    const id = `r-2025010${i}-000000-abcd`
    book = updateScores(book, scoreRun(run(id, kind), agents), id, config)
    values.push(autonomy('implementation', book, config))
  }
  return { book, values }
}

describe('autonomy across runs', () => {
  it('drops an agent that keeps failing below the low threshold, step by step', () => {
    expect(autonomyLevel(autonomy('implementation', emptyBook(), config), config.thresholds)).toBe('standard')
    const { book, values } = trajectory(8, 'fails')
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] ?? 1)
    const levels = values.map((v) => autonomyLevel(v, config.thresholds))
    // One bad run does not make it supervised; five in a row do, and it stays there.
    expect(levels.slice(0, 3)).toEqual(['standard', 'standard', 'standard'])
    expect(levels.indexOf('supervised')).toBe(4)
    expect(levels.slice(4).every((l) => l === 'supervised')).toBe(true)
    // The agents that did their part are not dragged down with it.
    expect(autonomyLevel(autonomy('reviewer', book, config), config.thresholds)).toBe('trusted')
    expect(book.agents.implementation?.history.every((h) => h.overall < 40)).toBe(true)
  })

  it('raises an agent that keeps succeeding above the high threshold', () => {
    const { values } = trajectory(4, 'succeeds')
    expect(values.map((v) => autonomyLevel(v, config.thresholds))).toEqual([
      'standard',
      'trusted',
      'trusted',
      'trusted',
    ])
  })
})

/** Writes a run's events as its log under `root`, as a run would. */
async function writeRun(root: string, id: string, kind: 'succeeds' | 'fails'): Promise<void> {
  const log = await EventLog.open(runPaths(root, id).events)
  for (const event of run(id, kind)) log.append(event)
  await log.close()
}

/** Runs a module in a separate Node process and returns what it printed. */
async function inChild(root: string, code: string): Promise<string> {
  const script = join(root, `child-${Math.random().toString(16).slice(2)}.mts`)
  const url = pathToFileURL(join(repo, 'src/core/evaluation/index.ts')).href
  const budgets = pathToFileURL(join(repo, 'src/core/agents/types.ts')).href
  await writeFile(
    script,
    `import * as ev from ${JSON.stringify(url)}\nimport { DEFAULT_BUDGETS } from ${JSON.stringify(budgets)}\n${code}\n`,
  )
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, root], { cwd: repo })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`child exited ${code}: ${err}`))))
  })
}

describe('the score book on disk', () => {
  it('reads in one process the book another saved', async () => {
    const root = await tempDir()
    const book = trajectory(3, 'succeeds').book
    await saveScores(root, config, book)
    expect(scoresPath(root, config)).toBe(join(root, '.macds', 'scores.json'))
    const printed = await inChild(
      root,
      `const book = await ev.loadScores(process.argv[2], ev.DEFAULT_EVALUATION)\nconsole.log(ev.autonomy('implementation', book, ev.DEFAULT_EVALUATION))`,
    )
    expect(Number(printed)).toBeCloseTo(autonomy('implementation', book, config), 9)
  })

  it('records runs from several processes at once without losing one', async () => {
    const root = await tempDir()
    const local = { ...config, shared: false }
    const ids = [
      'r-20250101-000001-aaaa',
      'r-20250101-000002-bbbb',
      'r-20250101-000003-cccc',
      'r-20250101-000004-dddd',
    ]
    for (const id of ids) await writeRun(root, id, 'fails')
    const record = (id: string) =>
      inChild(
        root,
        `const agents = ${JSON.stringify(agents.map((a) => a.id))}.map((id) => ({ id, budgets: DEFAULT_BUDGETS }))\n` +
          `await ev.recordRunScores(process.argv[2], ${JSON.stringify(id)}, { agents, config: ${JSON.stringify(local)} })`,
      )
    await Promise.all(ids.map(record))
    const book = await loadScores(root, local)
    expect(scoresPath(root, local)).toBe(join(root, '.macds', 'scores.json'))
    expect(book.runs).toEqual(ids)
    expect(book.agents.implementation?.runs).toBe(4)
    // Recording a run again changes nothing.
    const again = await recordRunScores(root, ids[0] ?? '', { agents, config: local })
    expect(again).toEqual(book)
  })

  it('refuses a damaged book with a hint instead of starting over silently', async () => {
    const root = await tempDir()
    await saveScores(root, config, emptyBook())
    await writeFile(scoresPath(root, config), '{"version":1,"agents":{"x":{"scores":{}}},"runs":[]}')
    await expect(loadScores(root, config)).rejects.toMatchObject({ code: 'SCORES_INVALID' })
    expect(await loadScores(await tempDir(), config)).toEqual(emptyBook())
  })
})
