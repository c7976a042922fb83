import type { Next } from '../run/events.js'
import { EVIDENCE, newRecord, NOT_THE_AGENTS, type ScoredEvent, type VisitRecord } from './visit-record.js'

export { EVIDENCE, type ScoredEvent, type VisitRecord } from './visit-record.js'

/** The visits of a run, in the order they started, with the evidence each gathered. */
export function collectVisits(events: Iterable<ScoredEvent>): VisitRecord[] {
  const walk = new VisitWalk()
  for (const event of events) walk.apply(event)
  return walk.records
}

type AgentScope = { agent: string; stage: string; task?: string }

class VisitWalk {
  readonly records: VisitRecord[] = []
  /** Stage id to the stages it judges. */
  private readonly judges = new Map<string, string[]>()
  private readonly started = new Set<string>()
  private readonly current = new Map<string, number>()
  private readonly byVisit = new Map<string, VisitRecord[]>()
  private readonly units = new Map<string, VisitRecord>()
  /** Agent id to the visit key of its latest record; gate id and escalation id to what they concern. */
  private readonly latest = new Map<string, string>()
  private readonly gates = new Map<string, string>()
  private readonly involved = new Map<string, string[]>()
  /** Records already held against by the event being applied: one event counts once against a record. */
  private readonly touched = new Set<VisitRecord>()

  apply(event: ScoredEvent): void {
    this.touched.clear()
    switch (event.type) {
      case 'run.started':
        for (const s of event.workflow.stages) {
          if (s.on_failure) this.judges.set(s.id, [...(this.judges.get(s.id) ?? []), s.on_failure.reopen])
        }
        return
      case 'stage.started':
        this.started.add(event.stage)
        this.current.set(event.stage, event.visit)
        return
      case 'stage.discarded':
        for (const r of this.visit(event.stage, event.visit))
          if (r.outcome !== 'failed') r.outcome = 'excluded'
        return
      case 'agent.attempt_started': {
        if (!this.started.has(event.stage) && event.attempt === 1 && event.task === undefined)
          this.current.set(event.stage, (this.current.get(event.stage) ?? 0) + 1)
        const r = this.unit(event)
        r.attempts = Math.max(r.attempts, event.attempt)
        r.model = event.model
        return this.stamp(r, event.ts)
      }
      case 'agent.output_received': {
        const r = this.unit(event)
        r.calls++
        r.tokens += event.usage.prompt_tokens + event.usage.completion_tokens
        r.cost_usd += event.cost_usd
        return this.stamp(r, event.ts)
      }
      case 'agent.violations': {
        const r = this.unit(event)
        if (event.attempt === 1) {
          r.first_errors += event.violations.filter((v) => v.severity === 'error').length
          r.first_warnings += event.violations.filter((v) => v.severity === 'warning').length
        }
        return this.stamp(r, event.ts)
      }
      case 'agent.accepted': {
        const r = this.unit(event)
        r.outcome = 'accepted'
        r.attempts = Math.max(r.attempts, event.attempt)
        if (event.attempt === 1)
          r.first_warnings += event.warnings.filter((v) => v.severity === 'warning').length
        r.evidence.for += EVIDENCE.accepted
        return this.stamp(r, event.ts)
      }
      case 'agent.failed': {
        const r = this.unit(event)
        r.outcome = NOT_THE_AGENTS.has(event.reason) ? 'excluded' : 'failed'
        r.failure = event.reason
        if (event.reason === 'provider') r.calls++
        return this.stamp(r, event.ts)
      }
      case 'stage.passed':
        return this.passed(event.stage, event.visit)
      case 'stage.failed':
        return this.follow(event.next)
      case 'gate.requested':
        this.gates.set(event.gate_id, `${event.stage}#${event.visit}`)
        return
      case 'gate.answered': {
        const approved = event.decision === 'approve'
        for (const r of this.byVisit.get(this.gates.get(event.gate_id) ?? '') ?? []) {
          if (approved) r.evidence.for += EVIDENCE.gate_approved
          else this.against(r, EVIDENCE.gate_rejected)
        }
        return this.follow(event.next)
      }
      case 'escalation.ruled': {
        const upheld = event.upheld_agent
        for (const agent of upheld ? (this.involved.get(event.escalation_id) ?? []) : []) {
          for (const r of this.latestOf(agent)) {
            if (agent === upheld) r.evidence.for += EVIDENCE.ruled_for
            else this.against(r, EVIDENCE.ruled_against)
          }
        }
        return this.follow(event.next)
      }
      default:
        return
    }
  }

  /** What follows a decision: a pass confirms, a re-open counts against the re-opened stage's output. */
  private follow(next: Next): void {
    if (next.kind === 'pass') this.passed(next.stage, this.current.get(next.stage) ?? 0)
    else if (next.kind === 'reopen') {
      for (const r of this.visit(next.stage, this.current.get(next.stage) ?? 0)) {
        r.reversals++
        this.against(r, EVIDENCE.reopened)
      }
    } else if (next.kind === 'escalate') {
      this.involved.set(
        next.escalation_id,
        next.conflict.agents.map((a) => a.agent),
      )
    }
  }

  private passed(stage: string, visit: number): void {
    for (const r of this.visit(stage, visit)) if (!this.touched.has(r)) r.evidence.for += EVIDENCE.passed
    for (const judged of this.judges.get(stage) ?? []) {
      for (const r of this.visit(judged, this.current.get(judged) ?? 0))
        r.evidence.for += EVIDENCE.judge_passed
    }
  }

  private against(r: VisitRecord, weight: number): void {
    if (this.touched.has(r)) return
    this.touched.add(r)
    r.evidence.against += weight
  }

  private visit(stage: string, visit: number): VisitRecord[] {
    return this.byVisit.get(`${stage}#${visit}`) ?? []
  }

  private latestOf(agent: string): VisitRecord[] {
    return (this.byVisit.get(this.latest.get(agent) ?? '') ?? []).filter((r) => r.agent === agent)
  }

  private unit(scope: AgentScope): VisitRecord {
    const visit = this.current.get(scope.stage) ?? 1
    const key = `${scope.stage}#${visit}`
    const id = `${key}/${scope.task ?? ''}/${scope.agent}`
    let r = this.units.get(id)
    if (!r) {
      r = newRecord(scope, visit)
      this.units.set(id, r)
      this.records.push(r)
      this.byVisit.set(key, [...(this.byVisit.get(key) ?? []), r])
    }
    this.latest.set(scope.agent, key)
    return r
  }

  private stamp(r: VisitRecord, ts: string | undefined): void {
    const ms = ts === undefined ? Number.NaN : Date.parse(ts)
    if (Number.isNaN(ms)) return
    r.start_ms ??= ms
    r.end_ms = ms
  }
}
