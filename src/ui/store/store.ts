import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Workflow } from '../../core/workflow/types.js'
import {
  APPROVAL_MODES,
  type AgentView,
  type ApprovalMode,
  type ArtifactRow,
  type ContractRow,
  type LogLine,
  type MemoryView,
  type Overlay,
  PANELS,
  type PanelId,
  type ProjectView,
  type QueueItem,
  type RunView,
  type StageView,
  type ViolationView,
} from './types.js'

/** Log lines and violations kept on screen; older ones are in the run's event log. */
export const LOG_LIMIT = 500
export const VIOLATION_LIMIT = 200

/** Everything the supervisor shows. Panels read it with narrow selectors; the bridge and the keys write it. */
export interface SupervisorState {
  project: ProjectView
  workflow: Workflow
  /** Autonomy below `low` is supervised, above `high` trusted; the agents panel marks both. */
  thresholds: { low: number; high: number }
  run: RunView | undefined
  stages: Record<string, StageView>
  agents: AgentView[]
  violations: ViolationView[]
  queue: QueueItem[]
  artifacts: ArtifactRow[]
  contracts: ContractRow[]
  memory: MemoryView
  log: LogLine[]
  mode: ApprovalMode
  focus: PanelId
  /** The selected row of each list panel. */
  cursor: Partial<Record<PanelId, number>>
  /** The agent the log shows alone, or undefined for every agent. */
  logAgent: string | undefined
  overlays: Overlay[]
  /** A one-line message for the person: what just happened, or why a key did nothing. */
  notice: string | undefined
  /** The size of the terminal. */
  size: { columns: number; rows: number }
  /** The time of the last frame: elapsed times count with it. */
  clock: number
  /** Counts the bridge's frames: the DAG's spinner turns one step each. */
  frame: number
}

/** The store's writers. Each one is a plain state transition, so tests drive them directly. */
export interface SupervisorActions {
  set: (patch: Partial<SupervisorState>) => void
  focusPanel: (panel: PanelId) => void
  cycleFocus: (step: 1 | -1) => void
  cycleMode: () => ApprovalMode
  push: (overlay: Overlay) => void
  pop: () => void
  /** Replaces the top overlay (a draft typed, a diff scrolled). */
  replaceTop: (overlay: Overlay) => void
  moveCursor: (panel: PanelId, step: number, length: number) => void
  notify: (notice: string | undefined) => void
  markAnswered: (id: string, decision: 'approve' | 'reject') => void
}

export type SupervisorStore = StoreApi<SupervisorState & SupervisorActions>

export type InitialState = Pick<SupervisorState, 'project' | 'workflow' | 'agents' | 'thresholds'> &
  Partial<SupervisorState>

/** A fresh store; one per app, and one per test. */
export function createSupervisorStore(initial: InitialState): SupervisorStore {
  return createStore<SupervisorState & SupervisorActions>()((set, get) => ({
    run: undefined,
    stages: stagesOf(initial.workflow),
    violations: [],
    queue: [],
    artifacts: [],
    contracts: [],
    memory: { counts: { working: 0, project: 0, skill: 0, failure: 0 }, strongest: [] },
    log: [],
    mode: 'ask',
    focus: 'approvals',
    cursor: {},
    logAgent: undefined,
    overlays: [],
    notice: undefined,
    size: { columns: 80, rows: 24 },
    clock: Date.now(),
    frame: 0,
    ...initial,
    set: (patch) => set(patch),
    focusPanel: (focus) => set({ focus }),
    cycleFocus: (step) => {
      const at = PANELS.indexOf(get().focus)
      set({ focus: PANELS[(at + step + PANELS.length) % PANELS.length] })
    },
    cycleMode: () => {
      const mode = APPROVAL_MODES[(APPROVAL_MODES.indexOf(get().mode) + 1) % APPROVAL_MODES.length] ?? 'ask'
      set({ mode })
      return mode
    },
    push: (overlay) => set({ overlays: [...get().overlays, overlay] }),
    pop: () => set({ overlays: get().overlays.slice(0, -1) }),
    replaceTop: (overlay) => set({ overlays: [...get().overlays.slice(0, -1), overlay] }),
    moveCursor: (panel, step, length) => {
      const at = Math.min(Math.max((get().cursor[panel] ?? 0) + step, 0), Math.max(length - 1, 0))
      set({ cursor: { ...get().cursor, [panel]: at } })
    },
    notify: (notice) => set({ notice }),
    markAnswered: (id, decision) =>
      set({ queue: get().queue.map((item) => (item.id === id ? { ...item, answered: decision } : item)) }),
  }))
}

/** Every stage of a workflow, pending. */
export function stagesOf(workflow: Workflow): Record<string, StageView> {
  const stages: Record<string, StageView> = {}
  for (const spec of workflow.stages) {
    stages[spec.id] = {
      id: spec.id,
      agent: spec.agent,
      depends_on: spec.depends_on,
      status: 'pending',
      visit: 0,
      started_at: undefined,
      duration_ms: undefined,
      reopened: 0,
    }
  }
  return stages
}
