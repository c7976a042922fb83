import { modelOf } from '../agents/load.js'
import type { Violation } from '../contracts/types.js'
import { runAgent } from '../agents/runtime.js'
import { toMacdsError } from '../errors.js'
import type { StageSpec } from '../workflow/types.js'
import { agentOf, record, type RunContext } from './context.js'
import { recordChangeSet, recordEffects, validate, verifyEffects } from './effects.js'
import { inputFacts } from './facts.js'
import { failRun, judge } from './judge.js'
import {
  commitMemory,
  recall,
  reinforce,
  rememberFailure,
  rememberNotes,
  rememberViolations,
} from './remember.js'
import { memoryNotes, renderMemoryEntry } from '../memory/index.js'
import { gatePolicy } from './gate-policy.js'
import { repositoryContext, wantsContext } from './repo-context.js'
import { readTools } from './toolbox.js'
import { decisionId } from './ids.js'
import { buildInput } from './inputs.js'
import { architectureTasks, runTasks } from './tasks.js'

type Json = Record<string, unknown>

/** Contracts whose input takes a `failure_context`; other stages get the failure as prompt feedback. */
const TAKES_CONTEXT = new Set(['architecture', 'implementation'])

/**
 * What stops a stage's visit: `stage` when the stage is re-opened while it runs (its model calls end
 * and its answer is discarded), and `run` when the run is cancelled or over; `stage` aborts with `run`.
 * The pipeline listens to `run` only: a step cut short could leave the worktree half rewritten.
 */
export interface StageSignals {
  stage: AbortSignal
  run: AbortSignal
}

/**
 * Runs one visit of a stage: assembles its input, asks its agent, records the effects of the
 * accepted output, judges it (conflicts, pass_when, the failure route) and passes it through the
 * gate policy. Every outcome is one event; a result that arrives after the stage was re-opened is
 * discarded.
 */
export function runStage(
  run: RunContext,
  spec: StageSpec,
  visit: number,
  signals: StageSignals,
): Promise<void> {
  return visitStage(run, spec, visit, signals).catch((thrown: unknown) => {
    // Stopped (the run was cancelled, or is over) while it ran its pipeline, say: what it did is
    // discarded, as when its model call is stopped, and a resumed run visits the stage again.
    if (signals.stage.aborted) {
      if (run.state.status === 'running') record(run, { type: 'stage.discarded', stage: spec.id, visit })
      return
    }
    // A contract that is missing or was never valid, a workspace that failed: the stage fails with
    // the reason, and the run ends cleanly instead of crashing.
    const error = toMacdsError(thrown)
    const stage = run.state.stages[spec.id]
    if (run.state.status !== 'running' || stage?.status !== 'running' || stage.visit !== visit) throw thrown
    const message = `${spec.id} could not run: ${error.message}${error.hint ? ` (${error.hint})` : ''}`
    failRun(run, { stage: spec.id, agent: spec.agent, visit }, 'error', message)
  })
}

async function visitStage(
  run: RunContext,
  spec: StageSpec,
  visit: number,
  signals: StageSignals,
): Promise<void> {
  const signal = signals.stage
  const agent = agentOf(run, spec.agent)
  // Logged, not awaited: the flush goes out with this turn of the event loop, and a stage whose start
  // was lost in a crash simply runs on resume. Effects below wait for the log.
  record(run, { type: 'stage.started', stage: spec.id, agent: agent.id, visit })
  const current = () => {
    const s = run.state.stages[spec.id]
    return !signal.aborted && run.state.status === 'running' && s?.status === 'running' && s.visit === visit
  }
  const facts = inputFacts(run, spec)
  if (spec.contract === 'build_test') facts.pipeline = await validate(run, spec, signals.run)
  if (spec.contract === 'infra') facts.pipeline = { pipeline: run.workspace.pipeline, results: [] }
  if (spec.contract === 'integration') {
    await commitMemory(run, { decisions: false })
    facts.branches = await run.workspace.branches(signals.run)
  }
  const context = run.state.contexts[spec.id]
  const takesContext = TAKES_CONTEXT.has(spec.contract)
  const given = run.state.feedback[spec.id] ?? []
  // Stages whose contract has no failure_context are told why they were re-opened as feedback.
  const feedback =
    context && !takesContext ? [...given, `${context.source_stage}: ${context.summary}`] : given
  if (takesContext) facts.context = context
  const at = { stage: spec.id, agent: agent.id, visit }
  const recalled = recall(run, at, [spec.id, context?.summary ?? '', ...feedback].join('\n'))
  facts.memory = memoryNotes(recalled)
  const input = buildInput(spec.contract, facts)
  const repository = wantsContext(spec, agent) ? await repositoryContext(run, spec, agent, input) : undefined
  if (repository && current()) {
    const items = repository.items.map(({ kind, name, tokens }) => ({ kind, name, tokens }))
    const { budget, tokens, left_out } = repository
    record(run, {
      type: 'stage.context',
      stage: spec.id,
      agent: agent.id,
      visit,
      budget,
      tokens,
      items,
      left_out,
    })
  }
  // Filled by the check of each accepted ChangeSet: what in it needs a person's approval.
  const approvals = new Map<string, string[]>()
  // Violations the agent had to repair: a failure note once the stage is over.
  const repaired: Violation[] = []
  const ask = (input: Json, task?: string) => {
    const found: string[] = []
    approvals.set(task ?? '', found)
    return runAgent(
      {
        agent,
        contract: run.contracts.require(spec.contract),
        stage: spec.id,
        visit,
        input,
        model: modelOf(agent, run.config),
        context: { feedback, repository: repository?.items, memory: recalled.map(renderMemoryEntry) },
        tools: readTools(run.workspace.root, agent, run.redact),
        verify: (value) => verifyEffects(run, agent, value as Json, found),
        ...(task ? { task } : {}),
      },
      {
        provider: run.provider,
        ledger: run.ledger,
        prompts: run.prompts,
        signal,
        emit: (event) => {
          if (event.type === 'agent.violations') repaired.push(...event.violations)
          if (current()) record(run, event)
        },
      },
    )
  }
  const tasks = spec.contract === 'implementation' ? architectureTasks(run) : []
  const by = { agent: agent.id, stage: spec.id }
  const ttl = agent.budgets.seconds_per_call * agent.budgets.calls_per_stage * 1000
  const outcome =
    tasks.length > 1
      ? await runTasks(run, tasks, (task) => ask({ ...input, task }, task.id), by, ttl)
      : await ask(input)
  if (!current()) {
    if (run.state.status === 'running') record(run, { type: 'stage.discarded', stage: spec.id, visit })
    return
  }
  const base = { stage: spec.id, agent: agent.id, visit }
  rememberViolations(run, at, repaired)
  if (!outcome.ok) {
    if (outcome.reason === 'cancelled') return
    const message = `${agent.id} could not complete ${spec.id}: ${outcome.message}`
    failRun(run, base, outcome.reason, message, { violations: outcome.violations })
    return
  }
  const output = outcome.output as Json
  if ('applied' in outcome) recordChangeSet(run, by, outcome.changeset, outcome.applied)
  else if (output.changeset !== undefined || output.artifacts !== undefined)
    await recordEffects(run, spec, agent, output)
  rememberNotes(run, at, output)
  const judged = judge(run, spec, output, facts)
  const next = judged?.next
  if (next?.kind === 'reopen') {
    const reopened = run.state.workflow.stages.find((s) => s.id === next.stage)
    const why = `${spec.id} sent ${next.stage} back: ${next.context.summary}`
    if (reopened) rememberFailure(run, { stage: reopened.id, agent: reopened.agent }, why, [spec.id])
  }
  if (judged) {
    record(run, {
      type: 'stage.failed',
      ...base,
      reason: 'verdict',
      message: judged.message,
      output,
      next: judged.next,
      ...judged.extra,
    })
    return
  }
  const reasons = [...approvals.values()].flat()
  const standing = run.state.autonomy[agent.id]
  if (standing?.level === 'supervised')
    reasons.push(
      `${agent.id}'s autonomy (${standing.value.toFixed(2)}) is below the low threshold: a person decides.`,
    )
  reinforce(run, recalled)
  const decision = gatePolicy(agent, run.state.options.approve, reasons)
  if (decision === 'approve' && reasons.length > 0) {
    // Approved by --approve auto, on the record: the gate and its answer are logged like a person's.
    const gate_id = decisionId('g')
    const summary = `${spec.id}: ${reasons.join(' ')}`
    record(run, { type: 'gate.requested', gate_id, ...base, output, summary, reasons })
    const next = { kind: 'pass' as const, stage: spec.id, output }
    record(run, { type: 'gate.answered', gate_id, decision: 'approve', by: 'auto', next })
  } else if (decision === 'approve') record(run, { type: 'stage.passed', ...base, output })
  else if (decision === 'reject') {
    const message = `the output of ${agent.id} for ${spec.id} needs approval, and --approve reject refuses it`
    failRun(run, base, 'gate_rejected', message, { output })
  } else {
    const summary = String(output.summary ?? output.intent ?? `${spec.id} output`)
    const why = reasons.length > 0 ? { reasons } : {}
    record(run, { type: 'gate.requested', gate_id: decisionId('g'), ...base, output, summary, ...why })
  }
}
