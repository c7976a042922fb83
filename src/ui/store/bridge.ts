import type { ContractEvent } from '../../core/contracts/registry.js'
import type { LoggedRunEvent, RunListener } from '../../core/run/context.js'
import type { RunState } from '../../core/run/state.js'
import { describeEvent } from './describe.js'
import { queueOf, type QueueFacts } from './queue.js'
import { LOG_LIMIT, type SupervisorStore, VIOLATION_LIMIT } from './store.js'
import { contractRow } from './contracts.js'
import type { AgentStatus, LogLine, ViolationView } from './types.js'
import { runSummary } from './summary.js'

/**
 * How often buffered events reach the store while a stage runs, and the spinner turns: four frames a
 * second, which keeps a busy run cheap to watch. Keys are drawn at once, whatever the frame rate.
 */
export const FRAME_MS = 250
/**
 * A frame that brought at least BUSY_EVENTS events makes the next one wait BUSY_FRAME_MS: a flood of
 * events (hundreds a second, more than anyone reads) is drawn twice a second, at half the cost.
 */
export const BUSY_EVENTS = 100
export const BUSY_FRAME_MS = 500
/** How often the clock moves while a run waits (at a gate, on an escalation): the elapsed seconds. */
const WAITING_FRAME_MS = 1000

export interface BridgeHooks {
  /** An effect changed the artifacts or the memory: the session reloads that panel. */
  changed?: (what: 'artifacts' | 'memory') => void
  /** Masks secrets in every text the screen shows (events reach the bridge before the log masks them). */
  redact?: (text: string) => string
}

export interface Bridge {
  /** The run listener to give the run. */
  listener: RunListener
  /** The contract registry's listener. */
  contract: (event: ContractEvent) => void
  /** Applies what is buffered now (tests, and the end of a run). */
  flush: () => void
  dispose: () => void
}

/**
 * The one place run events become store updates. Events are buffered and applied once per frame,
 * so a burst of a thousand events costs one render; the state they were folded into is read then.
 * While a run goes on, the bridge is also the screen's one clock: each frame moves `clock`, so the
 * spinner and the elapsed time change with the events, in the same render.
 */
export function createBridge(store: SupervisorStore, facts: QueueFacts, hooks: BridgeHooks = {}): Bridge {
  let pending: LoggedRunEvent[] = []
  let latest: RunState | undefined
  let timer: NodeJS.Timeout | undefined
  let due = 0
  /** How long the frame after the current one waits while a stage runs. */
  let interval = FRAME_MS
  let violationKey = 0
  const started = new Map<string, number>()
  const durations = new Map<string, number>()
  const reopened = new Map<string, number>()
  const reasons = new Map<string, string[]>()
  const written = new Map<string, { name: string; commit: string }[]>()
  const mask = hooks.redact ?? ((text: string) => text)

  /** Flushes in `ms`, unless a flush is due sooner. */
  const arm = (ms: number) => {
    const at = Date.now() + ms
    if (timer && due <= at) return
    if (timer) clearTimeout(timer)
    due = at
    timer = setTimeout(flush, ms)
  }

  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!latest) return
    interval = pending.length >= BUSY_EVENTS ? BUSY_FRAME_MS : FRAME_MS
    if (latest.status === 'running')
      arm(Object.values(latest.stages).some(isRunning) ? interval : WAITING_FRAME_MS)
    const frame = store.getState().frame + 1
    if (pending.length === 0) return store.setState({ clock: Date.now(), frame })
    const events = pending
    pending = []
    const state = latest
    const log: LogLine[] = []
    const violations: ViolationView[] = []
    let changed: Set<'artifacts' | 'memory'> | undefined
    for (const event of events) {
      note(event)
      const line = describeEvent(event)
      if (line) log.push({ ...line, text: mask(line.text) })
      if (event.type === 'agent.violations' || event.type === 'agent.failed') {
        const repaired = event.type === 'agent.violations' && event.will_repair
        const values = event.type === 'agent.violations' ? event.values : undefined
        event.violations.forEach((v, i) =>
          violations.push({
            ...v,
            message: mask(v.message),
            key: ++violationKey,
            agent: event.agent,
            stage: event.stage,
            repaired,
            value: values?.[i] === undefined ? undefined : mask(values[i] ?? ''),
          }),
        )
      }
      // The panels read git: only an effect that made a commit changes what they show.
      if (
        event.type === 'effect.recorded' &&
        event.commit &&
        (event.kind === 'artifact' || event.kind === 'memory')
      )
        (changed ??= new Set()).add(event.kind === 'artifact' ? 'artifacts' : 'memory')
    }
    const current = store.getState()
    const same = current.run?.run_id === state.run_id ? current.run : undefined
    const last = Date.parse(events.at(-1)?.ts ?? '') || Date.now()
    store.setState({
      clock: Date.now(),
      frame,
      run: {
        run_id: state.run_id,
        requirement: mask(state.requirement),
        status: state.status,
        message: mask(state.message),
        started_at: same?.started_at ?? (Date.parse(events[0]?.ts ?? '') || Date.now()),
        ended_at: ended(state) ? (same?.ended_at ?? last) : undefined,
        tokens: Object.values(state.tokens).reduce((a, b) => a + b, 0),
        cost_usd: state.cost_usd,
        summary: ended(state) ? runSummary(state, reopened).map(mask) : [],
      },
      stages: stageViews(store, state),
      agents: current.agents.map((agent) => ({
        ...agent,
        status: agentStatus(state, agent.id),
        tokens: state.tokens[agent.id] ?? 0,
      })),
      queue: queueOf(state, facts, reasons, written, current.queue, mask),
      violations:
        violations.length > 0
          ? [...violations.reverse(), ...current.violations].slice(0, VIOLATION_LIMIT)
          : current.violations,
      log: log.length > 0 ? [...current.log, ...log].slice(-LOG_LIMIT) : current.log,
    })
    for (const what of changed ?? []) hooks.changed?.(what)
  }

  const note = (event: LoggedRunEvent) => {
    if (event.type === 'run.started') {
      for (const map of [started, durations, reopened, reasons, written]) map.clear()
    } else if (event.type === 'stage.started') {
      started.set(event.stage, Date.parse(event.ts))
      written.delete(event.stage)
    } else if (event.type === 'effect.recorded' && event.kind === 'artifact' && event.commit)
      written.set(event.stage, [
        ...(written.get(event.stage) ?? []),
        { name: event.name, commit: event.commit },
      ])
    else if (
      event.type === 'stage.passed' ||
      event.type === 'stage.failed' ||
      event.type === 'gate.requested'
    ) {
      const from = started.get(event.stage)
      if (from !== undefined) durations.set(event.stage, Date.parse(event.ts) - from)
      if (event.type === 'stage.failed' && event.next.kind === 'reopen')
        reopened.set(event.next.stage, (reopened.get(event.next.stage) ?? 0) + 1)
      if (event.type === 'gate.requested' && event.reasons) reasons.set(event.gate_id, event.reasons)
    }
  }

  const stageViews = (s: SupervisorStore, state: RunState) => {
    const views = { ...s.getState().stages }
    for (const spec of state.workflow.stages) {
      const stage = state.stages[spec.id]
      if (!stage) continue
      const running = stage.status === 'running'
      views[spec.id] = {
        id: spec.id,
        agent: spec.agent,
        depends_on: spec.depends_on,
        status: stage.status,
        visit: stage.visit,
        started_at: running ? started.get(spec.id) : undefined,
        duration_ms: running ? undefined : durations.get(spec.id),
        reopened: reopened.get(spec.id) ?? 0,
      }
    }
    return views
  }

  return {
    listener(event, state) {
      pending.push(event)
      latest = state
      // A run's first and last events are shown at once; the rest wait for the frame.
      if (event.type === 'run.started' || event.type === 'run.finished' || event.type === 'run.cancelled')
        flush()
      else arm(interval)
    },
    contract(event) {
      const rows = store.getState().contracts
      const row = contractRow(
        event,
        rows.find((r) => r.name === event.name),
      )
      const rest = rows.filter((r) => r.name !== event.name)
      store.setState({ contracts: row ? [...rest, row].sort((a, b) => a.name.localeCompare(b.name)) : rest })
    },
    flush,
    dispose: () => {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}

const isRunning = (stage: { status: string } | undefined) => stage?.status === 'running'

function ended(state: RunState): boolean {
  return state.status === 'passed' || state.status === 'failed' || state.status === 'cancelled'
}

/** Thinking while one of its stages runs (or it arbitrates), waiting while its output waits at a gate. */
function agentStatus(state: RunState, agent: string): AgentStatus {
  let status: AgentStatus = 'idle'
  for (const spec of state.workflow.stages) {
    if (spec.agent !== agent) continue
    const stage = state.stages[spec.id]
    if (stage?.status === 'running') return 'thinking'
    if (stage?.status === 'awaiting_gate') status = 'waiting'
  }
  for (const e of Object.values(state.escalations))
    if (e.status === 'pending' && e.arbiter !== 'human' && e.arbiter.agent === agent) return 'thinking'
  return status
}
