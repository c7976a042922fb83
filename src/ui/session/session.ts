import type { ContractRegistry } from '../../core/contracts/registry.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { artifactDiff, artifactVersions } from '../../core/artifacts/index.js'
import type { ProjectConfig } from '../../core/config/load.js'
import { toMacdsError } from '../../core/errors.js'
import type { ProviderChoice } from '../../core/providers/create.js'
import { writeAnswer } from '../../core/run/answers.js'
import type { RunListener } from '../../core/run/context.js'
import { startRun } from '../../core/run/driver.js'
import { newRunId } from '../../core/run/ids.js'
import { runPaths } from '../../core/run/paths.js'
import type { RunState } from '../../core/run/state.js'
import type { Bridge } from '../store/bridge.js'
import type { SupervisorStore } from '../store/store.js'
import type { ApprovalMode } from '../store/types.js'
import type { AgentDefinition } from '../../core/agents/types.js'
import { agentViews, artifactRows, memoryView } from './project.js'
import type { Session } from './types.js'

/** The session as the app's entry point holds it: also what is running, and panel reloads. */
export interface SupervisorSession extends Session {
  running: () => Promise<void> | undefined
  refresh: (what: 'artifacts' | 'memory' | 'agents') => Promise<void>
}

/** How often the run reads answers given on screen while a decision is pending. */
const ANSWER_POLL_MS = 40

export interface SessionOptions {
  config: ProjectConfig
  agents: readonly AgentDefinition[]
  choice: ProviderChoice
  store: SupervisorStore
  bridge: Bridge
  /** Masks secrets in what the session shows or writes: diffs read from git, reasons typed on screen. */
  redact: (text: string) => string
  /** Hands the terminal to another program (the editor) and takes it back. */
  handOver: (program: () => Promise<void>) => Promise<void>
  /** Ends the app with an exit code; called once the run on screen has stopped. */
  exit: (code: number) => void
  /** The supervisor's contract registry once loaded: runs use it rather than load and watch their own. */
  contracts?: () => ContractRegistry | undefined
}

/**
 * The supervisor's side effects: it starts runs (one at a time) with the bridge listening, leaves the
 * person's answers for the run, answers gates itself under the auto and reject modes, and reads git
 * for the artifacts panel. Failures become notices; nothing here throws into the UI.
 */
export function createSession(options: SessionOptions): SupervisorSession {
  const { config, store, bridge } = options
  let current:
    { controller: AbortController; done: Promise<void>; state: () => RunState | undefined } | undefined
  const fail = (error: unknown) => store.getState().notify(toMacdsError(error).message)

  const answer = (id: string, decision: 'approve' | 'reject', reason?: string, by = 'supervisor') => {
    const state = current?.state()
    if (!state) return
    const text = reason ? { reason: options.redact(reason) } : {}
    writeAnswer(runPaths(config.root, state.run_id).answers, { id, decision, ...text, by }).catch(fail)
  }

  /** Under auto or reject, a gate is answered as soon as it is asked; a person's escalation always waits. */
  const byMode = (mode: ApprovalMode, id: string) => {
    if (mode === 'auto') answer(id, 'approve', undefined, 'auto')
    if (mode === 'reject')
      answer(id, 'reject', 'the supervisor rejects every gate (approval mode: reject)', 'auto')
    if (mode !== 'ask') store.getState().markAnswered(id, mode === 'auto' ? 'approve' : 'reject')
  }
  const modeListener: RunListener = (event) => {
    if (event.type === 'gate.requested') byMode(store.getState().mode, event.gate_id)
  }

  const refresh = throttled(async (what: 'artifacts' | 'memory' | 'agents') => {
    const state = current?.state()
    if (what === 'artifacts') {
      const ref = state?.status === 'running' ? state.workspace?.branch : undefined
      store.getState().set({ artifacts: await artifactRows(config, options.agents, ref) })
    } else if (what === 'memory') store.getState().set({ memory: await memoryView(config) })
    else store.getState().set({ agents: await agentViews(config, options.agents) })
  })

  const run = async (
    requirement: string,
    controller: AbortController,
    runId: string,
    holder: { state?: RunState },
  ) => {
    const { setUpRun } = await import('../../cli/run-setup.js')
    const setup = await setUpRun(config.root, options.choice, {}, { contracts: options.contracts?.() })
    try {
      const record: RunListener = (event, state, line) => {
        holder.state = state
        if (event.type === 'run.started') store.getState().notify(undefined)
        bridge.listener(event, state, line)
        modeListener(event, state, line)
      }
      const deps = await setup.deps(runId, [record], controller.signal, true)
      const { state } = await startRun(
        requirement,
        setup.options('ask'),
        { ...deps, pollMs: ANSWER_POLL_MS },
        runId,
      )
      if (state.status === 'passed' || state.status === 'failed') await setup.score(runId)
    } finally {
      await setup.close()
      bridge.flush()
    }
  }

  return {
    startRun(requirement) {
      if (current) return store.getState().notify('a run is in progress; x cancels it')
      const controller = new AbortController()
      const holder: { state?: RunState } = {}
      const runId = newRunId()
      store.getState().notify(`starting run ${runId}…`)
      const done = run(requirement, controller, runId, holder)
        .catch(fail)
        .finally(() => {
          current = undefined
          void Promise.all([refresh('artifacts'), refresh('memory'), refresh('agents')]).catch(fail)
        })
      current = { controller, done, state: () => holder.state }
    },
    cancelRun: () => current?.controller.abort(),
    answer: (id, decision, reason) => answer(id, decision, reason),
    modeChanged(mode) {
      for (const item of store.getState().queue)
        if (item.kind === 'gate' && !item.answered) byMode(mode, item.id)
    },
    async showArtifact(name) {
      const state = current?.state()
      const ref = state?.status === 'running' ? state.workspace?.branch : undefined
      try {
        const versions = await artifactVersions(config.root, name, ref ? { ref } : {})
        const commits = versions.map((v) => ({
          commit: v.commit,
          time: v.time,
          agent: v.agent ?? v.author,
          subject: v.subject,
        }))
        store.getState().push({ kind: 'commits', artifact: name, commits, cursor: 0 })
      } catch (error) {
        fail(error)
      }
    },
    async showCommit(name, commit) {
      if (!commit) return
      try {
        const text = await artifactDiff(config.root, name, commit)
        store.getState().push({
          kind: 'diff',
          title: `${name} @ ${commit.slice(0, 8)}`,
          text: options.redact(text) || '(no change to this artifact)',
          scroll: 0,
        })
      } catch (error) {
        fail(error)
      }
    },
    async showDiffs(title, changes) {
      try {
        const diffs = await Promise.all(changes.map((c) => artifactDiff(config.root, c.name, c.commit)))
        store.getState().push({ kind: 'diff', title, text: options.redact(diffs.join('\n')), scroll: 0 })
      } catch (error) {
        fail(error)
      }
    },
    editFile: (file) => options.handOver(() => editor(file)).catch(fail),
    async viewInEditor(name, text) {
      const file = join(await mkdtemp(join(tmpdir(), 'macds-')), name)
      await writeFile(file, text)
      await options.handOver(() => editor(file)).catch(fail)
    },
    quit() {
      if (!current) return options.exit(0)
      const status = current.state()?.status
      if (status === 'passed' || status === 'failed') {
        // The run is over and only tidying up: wait for it.
        void current.done.finally(() => options.exit(0))
        return
      }
      // Quitting in the middle of a run interrupts it: 130, as for Ctrl+C in `macds run`.
      store.getState().notify('cancelling the run before quitting…')
      current.controller.abort()
      void current.done.finally(() => options.exit(130))
    },
    running: () => current?.done,
    refresh,
  }
}

async function editor(file: string): Promise<void> {
  const { openInEditor } = await import('../../core/editor.js')
  await openInEditor(file)
}

/** How often a panel is read again from git or disk while a run keeps changing it. */
const REFRESH_MS = 1000

/**
 * One reload of each kind at a time, at most once a second: a busy run changes the artifacts many
 * times a second, and every reload runs git. A request during a reload is kept and done after it.
 */
function throttled<K extends string>(load: (what: K) => Promise<void>): (what: K) => Promise<void> {
  const state = new Map<K, { running: Promise<void>; again: boolean }>()
  const run = (what: K): Promise<void> => {
    const current = state.get(what)
    if (current) {
      current.again = true
      return current.running
    }
    const running = load(what)
      .then(() => new Promise<void>((resolve) => setTimeout(resolve, REFRESH_MS).unref()))
      .finally(() => {
        const again = state.get(what)?.again
        state.delete(what)
        if (again) void run(what).catch(() => {})
      })
    state.set(what, { running, again: false })
    return running
  }
  return run
}
