import type { Writable } from 'node:stream'
import { readAgents } from '../core/agents/load.js'
import { loadConfig } from '../core/config/load.js'
import { type Dimension, DIMENSIONS } from '../core/evaluation/types.js'
import { buildReport } from '../core/evaluation/report.js'
import type { AgentReport, Rate, Report, Usage } from '../core/evaluation/report-types.js'
import { type Command, say } from './command.js'
import { table } from './table.js'

/** Column heads of the score dimensions. */
const HEADS: Record<Dimension, string> = {
  correctness: 'CORRECT',
  efficiency: 'EFFICIENT',
  compliance: 'COMPLIANT',
  cost: 'COST',
  stability: 'STABLE',
}

/** Decisions listed one by one at most; older ones are only counted. */
const LISTED = 10

export const reportCommand: Command = {
  name: 'report',
  args: '',
  summary: 'scores, autonomy, tokens and cost, violations, escalations, gates and system figures',
  positionals: { min: 0, max: 0 },
  options: {
    run: { type: 'string', value: 'RUN-ID', description: 'report one run instead of all' },
    json: { type: 'boolean', description: 'print the report as JSON' },
  },
  async run(context) {
    const config = await loadConfig(context.cwd)
    const agents = await readAgents(config).then(
      (loaded) => loaded.agents,
      () => [],
    )
    const runId = typeof context.options.run === 'string' ? context.options.run : undefined
    const report = await buildReport(config.root, { runId, agents, config })
    if (context.options.json) {
      say(context.stdout, JSON.stringify(report, null, 2))
      return 0
    }
    if (report.scope.runs === 0 && report.problems.length === 0) {
      say(context.stdout, 'no runs yet; start one with `macds run "<requirement>"`')
      return 0
    }
    printReport(context.stdout, report)
    return 0
  },
}

/** The report as plain text: one section per part, each a small table. */
function printReport(out: Writable, report: Report): void {
  const { scope } = report
  const runs = scope.run_id
    ? `run ${scope.run_id}`
    : `${scope.runs} run${scope.runs === 1 ? '' : 's'} (${scope.first} … ${scope.last})`
  say(out, `report: ${runs}`)
  section(
    out,
    'agents (scores in these runs; autonomy across runs)',
    agentRows(report.agents),
    [1, 2, 3, 4, 5, 6, 7, 8],
  )
  if (report.book.pending_runs > 0)
    say(
      out,
      `  ${report.book.pending_runs} of these runs are not in ${report.book.file} yet; counted here only`,
    )
  const { usage } = report
  const usageRows = [
    ['', 'TOKENS', 'COST', 'CALLS'],
    usageRow('total', usage.total),
    ...Object.entries(usage.by_agent).map(([id, u]) => usageRow(`agent ${id}`, u)),
    ...Object.entries(usage.by_stage).map(([id, u]) => usageRow(`stage ${id}`, u)),
    usageRow('rework loops', usage.rework.total),
    ...Object.entries(usage.rework.by_stage).map(([id, u]) => usageRow(`  ${id} after visit 1`, u)),
  ]
  section(out, 'tokens and cost', usageRows, [1, 2, 3])
  const violations = report.violations.map((v) => [
    v.rule_id,
    v.severity,
    String(v.count),
    Object.entries(v.agents)
      .map(([a, n]) => `${a} ${n}`)
      .join(', '),
  ])
  if (violations.length === 0) section(out, 'violations by rule', [['none']])
  else section(out, 'violations by rule', [['RULE', 'SEVERITY', 'COUNT', 'AGENTS'], ...violations], [2])
  const { escalations, gates } = report
  const rulings = Object.entries(escalations.by_ruling).map(([r, n]) => `${r} ${n}`)
  section(out, `escalations: ${escalations.total}${rulings.length ? ` (${rulings.join(', ')})` : ''}`, [
    ...escalations.items
      .slice(-LISTED)
      .map((e) => [
        e.run_id,
        e.escalation_id,
        e.agents.join(' vs '),
        `→ ${e.arbiter}`,
        ruled(e.ruling, e.by),
      ]),
  ])
  const who = Object.entries(gates.by).map(
    ([by, n]) => `${by}: ${n.approved} approved, ${n.rejected} rejected`,
  )
  section(out, `gates: ${gates.approved} approved, ${gates.rejected} rejected, ${gates.pending} pending`, [
    ...who.map((w) => [w]),
    ...gates.items
      .slice(-LISTED)
      .map((g) => [g.run_id, g.gate_id, `${g.stage} (${g.agent})`, ruled(g.status, g.by), g.reason ?? '']),
  ])
  const s = report.system
  section(out, 'system', [
    ['integration success', percent(s.integration_success), 'runs merged / runs that reached integration'],
    ['contract violations', percent(s.contract_violations), 'attempts with error violations / attempts'],
    [
      'unsupervised completion',
      percent(s.unsupervised_completion),
      'runs merged with no person deciding / runs',
    ],
    ['rollbacks per run', s.rollbacks_per_run.value?.toFixed(2) ?? '-', 'stage re-opens / runs'],
    ['budget exceeded', percent(s.budget_exceeded), 'agents out of budget / stage visits'],
    ['guard blocks', String(s.guard_blocks), 'answers blocked by CS-* and ARTIFACT-* rules'],
    ['fast model calls', percent(s.fast_model_calls), 'calls to the fast model / calls'],
  ])
  for (const p of report.problems) say(out, `unreadable: ${p.run_id}: ${p.message}`)
}

function agentRows(agents: readonly AgentReport[]): string[][] {
  const header = ['AGENT', ...DIMENSIONS.map((d) => HEADS[d]), 'SCORE', 'RUNS', 'AUTONOMY', 'LEVEL', 'TREND']
  const rows = agents.map((a) => [
    a.agent,
    ...DIMENSIONS.map((d) => (a.scores ? a.scores[d].toFixed(0) : '-')),
    a.overall === undefined ? '-' : a.overall.toFixed(1),
    String(a.standing.runs),
    `${bar(a.standing.autonomy)} ${a.standing.autonomy.toFixed(2)}`,
    a.standing.level,
    { up: '↑ up', down: '↓ down', flat: '→ flat' }[a.standing.trend],
  ])
  return [header, ...rows]
}

function section(out: Writable, title: string, rows: string[][], right: number[] = []): void {
  say(out)
  say(out, title)
  for (const line of table(rows, right)) say(out, `  ${line}`.trimEnd())
}

function usageRow(label: string, u: Usage): string[] {
  return [label, String(u.tokens), `$${u.cost_usd.toFixed(4)}`, String(u.calls)]
}

function ruled(outcome: string | undefined, by: string | undefined): string {
  if (outcome === undefined || outcome === 'pending') return 'pending'
  return by ? `${outcome} by ${by}` : outcome
}

function percent(rate: Rate): string {
  return rate.value === null ? '-' : `${(rate.value * 100).toFixed(1)}% (${rate.count}/${rate.of})`
}

/** Ten cells filled in proportion to an autonomy value (1.0 fills them all). */
function bar(value: number): string {
  const filled = Math.max(0, Math.min(10, Math.round(value * 10)))
  return '█'.repeat(filled) + '░'.repeat(10 - filled)
}
