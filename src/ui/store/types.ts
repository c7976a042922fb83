import type { Severity } from '../../core/contracts/types.js'
import type { AutonomyLevel } from '../../core/evaluation/autonomy.js'
import type { Scores } from '../../core/evaluation/types.js'
import type { MemoryScope } from '../../core/memory/types.js'
import type { RunStatus } from '../../core/run/events.js'
import type { StageState } from '../../core/run/state.js'

/** The panels of the main screen, in the order Tab visits them. */
export const PANELS = [
  'approvals',
  'violations',
  'agents',
  'artifacts',
  'contracts',
  'memory',
  'log',
] as const
export type PanelId = (typeof PANELS)[number]

/** What the supervisor does with a gate: ask the person, approve it, or reject it. */
export type ApprovalMode = 'ask' | 'auto' | 'reject'
export const APPROVAL_MODES: readonly ApprovalMode[] = ['ask', 'auto', 'reject']

/** Where the supervisor runs, shown on the status line. */
export interface ProjectView {
  repo: string
  branch: string | undefined
  provider: string
  model: string
}

/** The run on screen: the one in progress, or the last one, whose summary stays. */
export interface RunView {
  run_id: string
  requirement: string
  status: RunStatus
  message: string
  started_at: number
  /** When the run ended; the elapsed time stops there. */
  ended_at: number | undefined
  tokens: number
  cost_usd: number
  /** Lines summing up a finished run: stages, loops, what was merged. */
  summary: string[]
}

/** A stage as the DAG draws it. */
export interface StageView {
  id: string
  agent: string
  depends_on: string[]
  status: StageState['status']
  visit: number
  /** When the current visit started (ms since epoch), and how long the last finished visit took. */
  started_at: number | undefined
  duration_ms: number | undefined
  /** Times failure routing re-opened this stage. */
  reopened: number
}

export type AgentStatus = 'idle' | 'thinking' | 'waiting'

/** One of the seven agents: rank, standing, what it is doing, and what it has spent. */
export interface AgentView {
  id: string
  authority: number
  autonomy: number
  level: AutonomyLevel
  scores: Scores
  status: AgentStatus
  tokens: number
  budget: number
}

/** A contract violation, as the violations panel lists it (newest first). */
export interface ViolationView {
  key: number
  severity: Severity
  rule_id: string
  agent: string
  stage: string
  message: string
  suggested_fix: string
  /** A JSON pointer into the output. */
  location: string
  /** The offending value at the location, as JSON (cut to a few hundred characters). */
  value: string | undefined
  /** Whether the agent was asked to repair it, or gave up. */
  repaired: boolean
}

/** A decision waiting for a person: a gate on an agent's output, or an escalation no agent can rule. */
export interface QueueItem {
  id: string
  kind: 'gate' | 'escalation'
  stage: string
  /** Who asks: the agent whose output waits, or the side that raised the conflict. */
  agent: string
  authority: number
  autonomy: number
  budget_left: number
  /** Why a person must decide: the rule or threshold that sent it here. */
  why: string[]
  summary: string
  /** The ChangeSet or artifact diff to approve, when there is one. */
  diff: string | undefined
  /** The artifacts the stage wrote before it stopped at the gate: d shows their diffs. */
  artifacts: { name: string; commit: string }[]
  /** The output itself, as YAML, for items without a diff. */
  detail: string
  /** Set once the person answered, until the run takes the answer. */
  answered?: 'approve' | 'reject'
}

export interface ArtifactRow {
  name: string
  owner: string
  versions: number
  last: { time: string; subject: string } | undefined
}

export interface ContractRow {
  name: string
  file: string
  status: 'valid' | 'invalid'
  /** The version in force: the last valid one. */
  version: string | undefined
  issue: string | undefined
  /** What the last reload did, with its time. */
  note: string | undefined
}

export interface MemoryView {
  counts: Record<MemoryScope, number>
  strongest: { id: string; scope: MemoryScope; agent: string; text: string; strength: number }[]
}

export interface LogLine {
  seq: number
  time: string
  agent: string | undefined
  level: 'info' | 'warn' | 'error'
  text: string
}

/** One version of an artifact, as the commits overlay lists it. */
export interface CommitRow {
  commit: string
  time: string
  agent: string
  subject: string
}

/** What covers the main screen; the top of the stack takes the keys. Drafts and scroll positions live in it. */
export type Overlay =
  | { kind: 'help' }
  | { kind: 'diff'; title: string; text: string; scroll: number }
  | { kind: 'reason'; id: string; draft: string }
  | { kind: 'requirement'; draft: string }
  | { kind: 'violation'; key: number }
  | { kind: 'commits'; artifact: string; commits: CommitRow[]; cursor: number }
