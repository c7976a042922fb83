import type { BudgetLedger } from '../agents/budget.js'
import type { PromptStore } from '../agents/prompt-store.js'
import type { AgentDefinition } from '../agents/types.js'
import type { ProjectConfig } from '../config/load.js'
import type { MemoryStore } from '../memory/index.js'
import type { ContractRegistry } from '../contracts/registry.js'
import type { Provider } from '../providers/types.js'
import type { RepoMap } from '../repo/types.js'
import type { Redactor } from '../secrets.js'
import type { EventLog, LoggedEvent } from './event-log.js'
import type { Autonomy, RunEvent } from './events.js'
import { applyEvent, type RunState } from './state.js'
import type { Workspace } from './workspace.js'

/** A run event as it is logged: numbered and timestamped. */
export type LoggedRunEvent = RunEvent & LoggedEvent

/**
 * Hears every event of a run after the state has taken it in. `line()` gives the event's line as
 * logged (secrets masked); it is made when first asked for, and only during the call. Listeners must
 * not throw; the UI and the headless reporters are listeners.
 */
export type RunListener = (event: LoggedRunEvent, state: RunState, line: () => string) => void

/** What a run works with, given by the command that starts or resumes it. */
export interface RunDeps {
  config: ProjectConfig
  agents: AgentDefinition[]
  contracts: ContractRegistry
  provider: Provider
  workspace: Workspace
  prompts?: PromptStore
  /** Masks secrets in every line of the event log. */
  redact?: Redactor
  listeners?: RunListener[]
  signal?: AbortSignal
  /** Wait for people at gates and escalations (true), or stop there with status awaiting_human. */
  wait: boolean
  /** How often the answers directory is read while a person's decision is pending. */
  pollMs?: number
  /** The agents' scoped memory; without it, nothing is recalled or noted. */
  memory?: MemoryStore
  /** Each agent's autonomy, measured before the run; without it every agent is standard. */
  autonomy?: Record<string, Autonomy>
}

/** The state of a run in progress, shared by the driver and its tasks. */
export interface RunContext extends RunDeps {
  state: RunState
  log: EventLog
  ledger: BudgetLedger
  answersDir: string
  /** Called with every recorded event after the state took it in; the scheduler's hook. */
  onRecord?: (event: RunEvent) => void
  /** The repository map, built when a stage first needs it (undefined: the root is not a git work tree). */
  repoMap?: Promise<RepoMap | undefined>
  /** Memory notes being written; the run waits for them before it commits or ends. */
  memoryWrites?: Promise<void>[]
}

/** Logs an event, folds it into the state, then tells the listeners. The one way a run changes. */
export function record(run: RunContext, event: RunEvent): LoggedRunEvent {
  const logged = run.log.append(event) as LoggedRunEvent
  applyEvent(run.state, event)
  run.onRecord?.(event)
  const listeners = run.listeners
  if (listeners) for (const listener of listeners) listener(logged, run.state, run.log.lastLine)
  return logged
}

const indexes = new WeakMap<readonly AgentDefinition[], Map<string, AgentDefinition>>()

/** The definition of agent `id`; the workflow was checked against the agents when the run started. */
export function agentOf(run: RunContext, id: string): AgentDefinition {
  let index = indexes.get(run.agents)
  if (!index) {
    index = new Map(run.agents.map((a) => [a.id, a]))
    indexes.set(run.agents, index)
  }
  const agent = index.get(id)
  if (!agent) throw new Error(`no agent ${id}`)
  return agent
}

const rankings = new WeakMap<readonly AgentDefinition[], { id: string; authority: number }[]>()

/** Every agent's id and authority, for choosing arbiters. */
export function rankedAgents(run: RunContext): { id: string; authority: number }[] {
  let ranked = rankings.get(run.agents)
  if (!ranked) {
    ranked = run.agents.map((a) => ({ id: a.id, authority: a.authority }))
    rankings.set(run.agents, ranked)
  }
  return ranked
}
