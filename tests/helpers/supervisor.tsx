import { render } from 'ink-testing-library'
import type { LoggedRunEvent, RunListener } from '../../src/core/run/context.js'
import type { RunEvent } from '../../src/core/run/events.js'
import { applyEvent, initialState, type RunState } from '../../src/core/run/state.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import { App } from '../../src/ui/App.js'
import { SessionContext, StoreContext } from '../../src/ui/context.js'
import type { Session } from '../../src/ui/session/types.js'
import { createBridge } from '../../src/ui/store/bridge.js'
import type { QueueFacts } from '../../src/ui/store/queue.js'
import { createSupervisorStore } from '../../src/ui/store/store.js'
import type { AgentView } from '../../src/ui/store/types.js'

/** The escape sequences a terminal sends for the key names of the key table. */
const SEQUENCES: Record<string, string> = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  'shift+tab': '\x1b[Z',
  backspace: '\x7f',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  space: ' ',
  'ctrl+c': '\x03',
}

const AGENTS: [string, number][] = [
  ['architect', 10],
  ['product', 9],
  ['buildtest', 8],
  ['integrator', 8],
  ['reviewer', 7],
  ['infra', 6],
  ['implementation', 5],
]

export const FACTS: QueueFacts = {
  agents: Object.fromEntries(
    AGENTS.map(([id, authority]) => [
      id,
      { authority, tokens_per_run: 200_000, requires_approval: id === 'product' },
    ]),
  ),
  thresholds: { low: 0.4, high: 0.85 },
}

function agentViews(): AgentView[] {
  return AGENTS.map(([id, authority]) => ({
    id,
    authority,
    autonomy: id === 'implementation' ? 0.3 : 0.7,
    level: id === 'implementation' ? 'supervised' : 'standard',
    scores: { correctness: 80, efficiency: 70, compliance: 90, cost: 60, stability: 75 },
    status: 'idle',
    tokens: 0,
    budget: 200_000,
  }))
}

/** Every call the app made to its session, in order. */
export type SessionCall = [keyof Session, ...unknown[]]

/**
 * The supervisor's App rendered by ink-testing-library on a fresh store, with a session that records
 * what the keys asked for. `feed` sends run events through the real bridge; `press` types named keys.
 */
export async function renderSupervisor(options: { columns?: number; rows?: number } = {}) {
  const store = createSupervisorStore({
    project: { repo: 'sample', branch: 'main', provider: 'scripted', model: 'gpt-test' },
    workflow: DEFAULT_WORKFLOW,
    agents: agentViews(),
    thresholds: FACTS.thresholds,
  })
  const calls: SessionCall[] = []
  const record =
    (name: keyof Session) =>
    (...args: unknown[]) => {
      calls.push([name, ...args])
      return Promise.resolve()
    }
  const session = Object.fromEntries(
    (
      [
        'startRun',
        'cancelRun',
        'answer',
        'modeChanged',
        'showArtifact',
        'showDiffs',
        'showCommit',
        'editFile',
        'viewInEditor',
        'quit',
      ] as const
    ).map((name) => [name, record(name)]),
  ) as unknown as Session
  const bridge = createBridge(store, FACTS, { redact: (text) => text.replaceAll('sk-secret', '***') })
  const ui = render(
    <StoreContext.Provider value={store}>
      <SessionContext.Provider value={session}>
        <App />
      </SessionContext.Provider>
    </StoreContext.Provider>,
  )
  // The fake terminal of ink-testing-library has no rows; the store's size stands for the terminal.
  await tick()
  store.getState().set({ size: { columns: options.columns ?? 100, rows: options.rows ?? 30 } })
  const send = eventSender(bridge.listener)
  return {
    store,
    calls,
    frame: () => ui.lastFrame() ?? '',
    unmount: () => {
      bridge.dispose()
      ui.unmount()
    },
    /** What the contract registry tells the bridge when a file changes. */
    contract: bridge.contract,
    /** Sends events through the bridge (folded into a run state like a run does) and flushes. */
    feed(...events: RunEvent[]) {
      for (const event of events) send(event)
      bridge.flush()
    },
    async press(...keys: string[]) {
      for (const key of keys) {
        ui.stdin.write(SEQUENCES[key] ?? key)
        await tick()
      }
    },
    async type(text: string) {
      for (const char of text) {
        ui.stdin.write(char)
        await tick()
      }
    },
    /** Waits until the frame shows `text` (or the predicate holds); fails with the frame after `ms`. */
    async waitFor(text: string | ((frame: string) => boolean), ms = 2000) {
      const ok = typeof text === 'string' ? (f: string) => f.includes(text) : text
      const until = Date.now() + ms
      while (!ok(ui.lastFrame() ?? '')) {
        if (Date.now() > until) throw new Error(`the frame never showed ${String(text)}:\n${ui.lastFrame()}`)
        await tick()
      }
      return ui.lastFrame() ?? ''
    },
  }
}

/**
 * Sends events to a run listener as a run would: folded into the run's state, numbered, and stamped a
 * second apart from 2026-11-21T10:00:00Z. The first event must be run.started.
 */
export function eventSender(listener: RunListener): (event: RunEvent) => void {
  let state: RunState | undefined
  let seq = 0
  return (event) => {
    if (event.type === 'run.started') state = initialState(event)
    else if (state) applyEvent(state, event)
    if (!state) throw new Error('send run.started first')
    seq++
    const ts = new Date(Date.UTC(2026, 10, 21, 10, 0, seq)).toISOString()
    const logged = { ...event, v: 1, seq, ts } as LoggedRunEvent
    listener(logged, state, () => JSON.stringify(logged))
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5))
}
