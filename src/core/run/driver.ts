import { BudgetLedger } from '../agents/budget.js'
import { sleep } from '../sleep.js'
import { readAnswers } from './answers.js'
import { type RunContext, type RunDeps, record } from './context.js'
import { applyAnswers, arbitrate } from './decisions.js'
import { EventLog, readEventLog } from './event-log.js'
import type { RunEvent, RunOptions } from './events.js'
import { newRunId } from './ids.js'
import { acquireLock, releaseLock } from './lock.js'
import { runPaths } from './paths.js'
import { ReadyStages } from './ready.js'
import { everyStagePassed, integrate } from './integrate.js'
import { commitMemory, settleMemory } from './remember.js'
import { logRulings } from './ruling-log.js'
import { mayReopen } from './routing.js'
import { runStage } from './stage-task.js'
import { StageStops } from './stage-stops.js'
import type { StageSpec } from '../workflow/types.js'
import { awaitsPerson, foldEvents, initialState, type RunState } from './state.js'

/** How a run ended (or stopped, waiting for a person). */
export interface RunResult {
  run_id: string
  state: RunState
}

/** Starts a run of the configured workflow for a one-line requirement. */
export async function startRun(
  requirement: string,
  options: RunOptions,
  deps: RunDeps,
  run_id = newRunId(),
): Promise<RunResult> {
  const paths = runPaths(deps.config.root, run_id)
  // The lock and the log file are made by the log's first write, once the first stage has started;
  // nothing is written before both exist, and if either cannot be made, the run fails with the reason.
  let locked = false
  const prepare = () => {
    acquireLock(paths.lock, run_id)
    locked = true
  }
  const log = EventLog.create(paths.events, { redact: deps.redact, prepare })
  const started = {
    type: 'run.started' as const,
    run_id,
    requirement,
    root: deps.config.root,
    workflow: deps.config.workflow,
    options,
    ...(deps.workspace.info ? { workspace: deps.workspace.info } : {}),
    ...(deps.autonomy ? { autonomy: deps.autonomy } : {}),
  }
  const state = initialState(started)
  const run: RunContext = { ...deps, state, log, ledger: new BudgetLedger(), answersDir: paths.answers }
  const logged = log.append(started)
  for (const listener of deps.listeners ?? []) listener(logged, state, log.lastLine)
  return drive(run, () => locked && releaseLock(paths.lock))
}

/**
 * Continues a run from its event log: passed stages stay passed, a stage that was in flight runs
 * again, pending gates and escalations are asked again. A finished run is returned as it is.
 */
export async function resumeRun(run_id: string, deps: RunDeps): Promise<RunResult> {
  const paths = runPaths(deps.config.root, run_id)
  const { events } = await readEventLog(paths.events)
  const runEvents = events as unknown as RunEvent[]
  const state = foldEvents(runEvents)
  if (state.status === 'passed' || state.status === 'failed') return { run_id, state }
  // Taken before anything is written: a refused resume must not touch the log of the live run.
  acquireLock(paths.lock, run_id)
  deps.provider.resumeAfter?.(completedCalls(runEvents, state))
  const log = await EventLog.open(paths.events, { redact: deps.redact })
  const ledger = new BudgetLedger()
  for (const [agent, tokens] of Object.entries(state.tokens)) {
    ledger.charge(agent, 'earlier', { prompt_tokens: tokens, completion_tokens: 0 }, 0)
  }
  const run: RunContext = { ...deps, state, log, ledger, answersDir: paths.answers }
  record(run, { type: 'run.resumed', run_id })
  return drive(run, () => releaseLock(paths.lock))
}

/**
 * Runs the loop of a run, then closes the log and releases the lock. A log that could not be written
 * fails the call with the reason, even if the run itself ended well. The log's tail is not synced
 * here: what the run did that cannot be undone was synced before it was done.
 */
async function drive(run: RunContext, release: () => void): Promise<RunResult> {
  // Contract edits during the run are part of its record (an invalid edit leaves the last valid version in force).
  // Each run logs its own copy: the registry hands one event to every subscriber, and the log stamps it.
  const unsubscribe = run.contracts.subscribe((event) => record(run, { ...event }))
  let failure: { error: unknown } | undefined
  try {
    await loop(run)
  } catch (error) {
    failure = { error }
  }
  unsubscribe()
  await settleMemory(run)
  await closeWorkspace(run).catch((error: unknown) => void (failure ??= { error }))
  await run.log.close().catch((error: unknown) => void (failure ??= { error }))
  release()
  if (failure) throw failure.error
  return { run_id: run.state.run_id, state: run.state }
}

/**
 * Tidies the workspace of a run that is over (passed, failed or cancelled): the worktree goes, and the
 * branch too once merged, or when the run failed and the options say not to keep it. A run waiting
 * for a person keeps its worktree for `macds resume`.
 */
async function closeWorkspace(run: RunContext): Promise<void> {
  const { status, integration, options } = run.state
  if (status === 'running' || status === 'awaiting_human') return
  // A run that failed keeps its branch for inspection, with the rulings that ended it.
  if (status !== 'passed') await logRulings(run)
  const merged = integration.status === 'merged'
  await run.workspace.close({ status, merged, keep: options.keep !== false })
}

/** The end of a run whose every stage passed: rulings logged, memory committed, then integration. */
async function finishPassedRun(run: RunContext, signal: AbortSignal): Promise<void> {
  await logRulings(run)
  await commitMemory(run, { decisions: true })
  await integrate(run, signal)
}

/** Why a run's tasks are stopped when the run is over; made once (an AbortError costs a stack trace each time). */
const RUN_OVER = new Error('the run is over')

/** Starts what is ready, waits for something to finish or for a person, until the run ends. */
async function loop(run: RunContext): Promise<void> {
  const tasks = new Map<string, Promise<void>>()
  const stop = new AbortController()
  const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal
  const interrupted = () => run.signal?.aborted === true
  const wake = new Wake()
  let polling = false
  const ready = new ReadyStages(run.state.workflow)
  // A workflow whose stages can be re-opened while they run gives each visit a signal of its own, so
  // that a re-opened stage stops at once (an AbortController costs a few microseconds a stage).
  const stops = mayReopen(run.state.workflow) ? new StageStops() : undefined
  run.onRecord = (event) => {
    ready.changed(event)
    if (stops && 'next' in event && event.next.kind === 'reopen') stops.stopReopened(run.state)
  }
  // Every task runs under the loop's signal: a cancel, or the run ending, stops them all at once. Only
  // a cancel comes from outside the loop and has to wake it.
  const cancelled = () => {
    stops?.stopAll(run.signal?.reason)
    wake.notify()
  }
  run.signal?.addEventListener('abort', cancelled, { once: true })
  // A log that cannot be created or written wakes the loop, which then stops the run.
  run.log.onBreak = () => wake.notify()
  let crashed: { error: unknown } | undefined
  // Stages running, counted as they start and end: the scheduler reads it at every wake-up.
  let stagesRunning = 0
  const start = (key: string, work: (signal: AbortSignal) => Promise<void>, stage?: string) => {
    if (stage) stagesRunning++
    const ended = () => {
      if (stage) {
        stagesRunning--
        stops?.ended(stage)
      }
      tasks.delete(key)
      wake.notify()
    }
    // One reaction for both outcomes: each promise hop costs every answer of a burst a little.
    const promise = work(signal).then(ended, (error: unknown) => {
      crashed ??= { error }
      ended()
    })
    tasks.set(key, promise)
  }
  const abortAll = () => {
    stops?.stopAll(RUN_OVER)
    stop.abort(RUN_OVER)
  }
  const startStage = (spec: StageSpec, visit: number) => {
    const stage = spec.id
    const work = (signal: AbortSignal) =>
      runStage(run, spec, visit, { stage: stops?.start(stage) ?? signal, run: signal })
    start(`stage:${stage}`, work, stage)
  }
  try {
    for (;;) {
      // A task that crashed, or a log that can no longer be written, ends the run at once.
      if (crashed || run.log.error) {
        await stopAll(abortAll, tasks)
        throw crashed ? crashed.error : run.log.error
      }
      if (interrupted()) return await cancel(run, tasks)
      if (run.state.status === 'failed' || run.state.status === 'passed')
        return await stopAll(abortAll, tasks)
      for (const escalation of Object.values(run.state.escalations)) {
        const key = `escalation:${escalation.escalation_id}`
        if (escalation.status === 'pending' && escalation.arbiter !== 'human' && !tasks.has(key)) {
          start(key, (s) => arbitrate(run, escalation, s))
        }
      }
      startReady(run, ready, tasks, stagesRunning, startStage)
      if (tasks.size === 0 && everyStagePassed(run)) {
        // Nothing else runs once every stage passed: the run ends here, without a task of its own. Stopped
        // by a cancel (while it waits for another run's integration, say), it is cancelled, not crashed.
        await finishPassedRun(run, signal).catch((error: unknown) => {
          if (!interrupted()) crashed ??= { error }
        })
        continue
      }
      const waiting = awaitsPerson(run.state)
      if (tasks.size === 0 && waiting && !run.wait) {
        run.state.status = 'awaiting_human'
        return
      }
      if (tasks.size === 0 && !waiting) {
        record(run, { type: 'run.finished', status: 'failed', message: 'no stage can run' })
        return
      }
      if (waiting && !polling) {
        polling = true
        void pollAnswers(run, signal).finally(() => {
          polling = false
          wake.notify()
        })
      }
      await wake.wait()
    }
  } finally {
    run.signal?.removeEventListener('abort', cancelled)
    // Only what still runs needs telling (aborting costs an event dispatch on the run's last path).
    if (tasks.size > 0 || polling) abortAll()
  }
}

/** Wakes the loop when a task ends, an answer arrives or the run is stopped; a wake-up is never lost. */
class Wake {
  private pending = false
  private resolve: (() => void) | undefined

  notify(): void {
    const resolve = this.resolve
    this.resolve = undefined
    if (resolve) resolve()
    else this.pending = true
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false
      return Promise.resolve()
    }
    return new Promise((resolve) => (this.resolve = resolve))
  }
}

function startReady(
  run: RunContext,
  ready: ReadyStages,
  tasks: Map<string, unknown>,
  running: number,
  startStage: (spec: StageSpec, visit: number) => void,
): void {
  const { state } = run
  if (Object.values(state.escalations).some((e) => e.status === 'pending')) return
  const free = state.workflow.concurrency - running
  if (free <= 0) return
  for (const spec of ready.take(state, free, (id) => tasks.has(`stage:${id}`))) {
    startStage(spec, (state.stages[spec.id]?.visit ?? 0) + 1)
  }
}

/** Waits until a person's answer to a pending decision has been applied. */
async function pollAnswers(run: RunContext, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    if (applyAnswers(run, await readAnswers(run.answersDir))) return
    await sleep(run.pollMs ?? 100, signal).catch(() => {})
  }
}

async function cancel(run: RunContext, tasks: Map<string, Promise<void>>): Promise<void> {
  await Promise.allSettled(tasks.values())
  record(run, { type: 'run.cancelled', message: 'the run was interrupted; `macds resume` continues it' })
}

/** Stops the tasks still running when the run has ended (a failure elsewhere) and waits for them. */
async function stopAll(abort: () => void, tasks: Map<string, Promise<void>>): Promise<void> {
  if (tasks.size === 0) return
  abort()
  await Promise.allSettled(tasks.values())
}

/**
 * The model calls whose answers the run kept: every answered call, except those of a stage visit
 * that was in flight when the process stopped (that visit runs again and asks again).
 */
function completedCalls(
  events: RunEvent[],
  state: RunState,
): { agent: string; stage: string; attempt: number }[] {
  const lastStart = new Map<string, number>()
  events.forEach((e, i) => {
    if (e.type === 'stage.started') lastStart.set(e.stage, i)
  })
  const inFlight = (stage: string, index: number) =>
    state.stages[stage]?.status === 'running' && index > (lastStart.get(stage) ?? Infinity)
  return events.flatMap((e, i) => (e.type === 'agent.output_received' && !inFlight(e.stage, i) ? [e] : []))
}
