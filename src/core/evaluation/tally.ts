import type { Violation } from '../contracts/types.js'
import type { Next } from '../run/events.js'
import type { EscalationItem, GateItem, Rate, Report, Usage } from './report-types.js'
import type { ScoredEvent, VisitRecord } from './visits.js'

/** Who answers a gate under --approve auto. */
const AUTO_APPROVER = 'auto'

const GUARD_RULE = /^(CS|ARTIFACT)-/
/** Integration outcomes that count as merged: moved the target, or recorded everything where there is no git. */
const MERGED = new Set(['merged', 'recorded'])

const rate = (count: number, of: number): Rate => ({ value: of === 0 ? null : count / of, count, of })
const usage = (): Usage => ({ tokens: 0, cost_usd: 0, calls: 0 })

/** Adds up what the report shows of many runs, one run at a time. */
export class Tally {
  private readonly total = usage()
  private readonly byAgent: Record<string, Usage> = {}
  private readonly byStage: Record<string, Usage> = {}
  private readonly rework = usage()
  private readonly reworkByStage: Record<string, Usage> = {}
  private readonly violations = new Map<string, Report['violations'][number]>()
  private readonly gates = new Map<string, GateItem>()
  private readonly escalations = new Map<string, EscalationItem>()
  private readonly n = {
    ...{ runs: 0, reached: 0, merged: 0, unsupervised: 0, attempts: 0, failing: 0, reopens: 0 },
    ...{ budget: 0, visits: 0, guard: 0, calls: 0, fast: 0 },
  }

  /** `fastModel`: the server model name of the `fast` alias, whose share of calls is reported. */
  constructor(private readonly fastModel: string | undefined) {}

  /** Adds a run: its events, its visits, and the agent ids (any other `by` but `auto` is a person). */
  addRun(
    runId: string,
    events: readonly ScoredEvent[],
    visits: readonly VisitRecord[],
    agents: ReadonlySet<string>,
  ) {
    for (const v of visits) this.addUsage(v)
    let noMerge = false
    let supervised = false
    let integration: string | undefined
    for (const e of events) {
      switch (e.type) {
        case 'run.started':
          noMerge = e.options.merge === false
          break
        case 'stage.started':
          this.n.visits++
          break
        case 'agent.attempt_started':
          this.n.attempts++
          break
        case 'agent.violations':
          if (e.violations.some((v) => v.severity === 'error')) this.n.failing++
          for (const v of e.violations) this.addViolation(v, e.agent)
          break
        case 'agent.accepted':
          for (const v of e.warnings) this.addViolation(v, e.agent)
          break
        case 'agent.failed':
          if (e.reason === 'budget') this.n.budget++
          break
        case 'gate.requested': {
          const { gate_id, stage, agent } = e
          this.gates.set(`${runId}/${gate_id}`, { run_id: runId, gate_id, stage, agent, status: 'pending' })
          break
        }
        case 'gate.answered': {
          // `auto` is the run's --approve auto mode answering for itself, not a person.
          const person = !agents.has(e.by) && e.by !== AUTO_APPROVER
          supervised ||= person
          const status = e.decision === 'approve' ? 'approved' : 'rejected'
          const reason = e.reason ? { reason: e.reason } : {}
          const gate = this.gates.get(`${runId}/${e.gate_id}`)
          if (gate) Object.assign(gate, { status, by: e.by, person, ...reason })
          this.follow(runId, e.next)
          break
        }
        case 'escalation.ruled': {
          supervised ||= !agents.has(e.by)
          const { ruling, by, rationale, upheld_agent } = e
          const upheld = upheld_agent ? { upheld_agent } : {}
          const item = this.escalations.get(`${runId}/${e.escalation_id}`)
          if (item) Object.assign(item, { status: 'ruled', ruling, by, rationale, ...upheld })
          this.follow(runId, e.next)
          break
        }
        case 'stage.failed':
          this.follow(runId, e.next)
          break
        case 'integration.finished':
          integration = e.status
          break
      }
    }
    const merged = integration !== undefined && MERGED.has(integration)
    this.n.runs++
    if (integration !== undefined && !noMerge) {
      this.n.reached++
      if (merged) this.n.merged++
    }
    if (merged && !supervised) this.n.unsupervised++
  }

  result(): Pick<Report, 'usage' | 'violations' | 'escalations' | 'gates' | 'system'> {
    const gates = [...this.gates.values()]
    const by: Report['gates']['by'] = {}
    for (const g of gates) {
      if (g.status === 'pending' || !g.by) continue
      const who = (by[g.by] ??= { approved: 0, rejected: 0 })
      who[g.status]++
    }
    const escalations = [...this.escalations.values()]
    const byRuling: Record<string, number> = {}
    for (const e of escalations) byRuling[e.ruling ?? 'pending'] = (byRuling[e.ruling ?? 'pending'] ?? 0) + 1
    const n = this.n
    return {
      usage: {
        total: this.total,
        by_agent: this.byAgent,
        by_stage: this.byStage,
        rework: { total: this.rework, by_stage: this.reworkByStage },
      },
      violations: [...this.violations.values()].sort(
        (a, b) => b.count - a.count || a.rule_id.localeCompare(b.rule_id),
      ),
      escalations: { total: escalations.length, by_ruling: byRuling, items: escalations },
      gates: {
        approved: gates.filter((g) => g.status === 'approved').length,
        rejected: gates.filter((g) => g.status === 'rejected').length,
        pending: gates.filter((g) => g.status === 'pending').length,
        by,
        items: gates,
      },
      system: {
        runs: n.runs,
        integration_success: rate(n.merged, n.reached),
        contract_violations: rate(n.failing, n.attempts),
        unsupervised_completion: rate(n.unsupervised, n.runs),
        rollbacks_per_run: rate(n.reopens, n.runs),
        budget_exceeded: rate(n.budget, n.visits),
        guard_blocks: n.guard,
        fast_model_calls: rate(n.fast, n.calls),
      },
    }
  }

  private follow(runId: string, next: Next): void {
    if (next.kind === 'reopen') this.n.reopens++
    if (next.kind !== 'escalate') return
    const { escalation_id, conflict, arbiter } = next
    this.escalations.set(`${runId}/${escalation_id}`, {
      run_id: runId,
      escalation_id,
      stage: conflict.stage,
      kind: conflict.kind,
      topic: conflict.topic,
      agents: conflict.agents.map((a) => a.agent),
      arbiter: arbiter === 'human' ? 'human' : arbiter.agent,
      status: 'pending',
    })
  }

  private addUsage(v: VisitRecord): void {
    const add = (u: Usage) => {
      u.tokens += v.tokens
      u.cost_usd += v.cost_usd
      u.calls += v.calls
    }
    add(this.total)
    add((this.byAgent[v.agent] ??= usage()))
    add((this.byStage[v.stage] ??= usage()))
    if (v.visit > 1) {
      add(this.rework)
      add((this.reworkByStage[v.stage] ??= usage()))
    }
    this.n.calls += v.calls
    if (v.model !== undefined && v.model === this.fastModel) this.n.fast += v.calls
  }

  private addViolation(v: Violation, agent: string): void {
    if (v.severity === 'error' && GUARD_RULE.test(v.rule_id)) this.n.guard++
    const key = `${v.rule_id}/${v.severity}`
    const entry = this.violations.get(key) ?? {
      rule_id: v.rule_id,
      severity: v.severity,
      count: 0,
      agents: {},
    }
    entry.count++
    entry.agents[agent] = (entry.agents[agent] ?? 0) + 1
    this.violations.set(key, entry)
  }
}
