import type { PipelineStep, PipelineStepName } from '../config/workspace-types.js'
import { type Attempt, type AttemptSpec, commandLine, runAttempt } from './attempt.js'
import { formatTail } from './output.js'
import type { PipelineEvent, StepResult } from './types.js'

/** Steps run once more when they fail, to tell a flaky failure from a real one. */
const RETRIED: readonly PipelineStepName[] = ['test']

const SECOND_RUN_HEADING = '--- second run (passed) ---'

/** What `runStep` needs besides the attempt's own settings. */
export interface StepSpec extends Omit<AttemptSpec, 'append'> {
  /** The step was flaky in the previous pipeline run: a flaky result now fails it. */
  flakyBefore: boolean
  onStep?: (event: PipelineEvent) => void
}

/**
 * Runs one step. A failing test step (not a timeout, a cancel or a missing program) is run once
 * more: a pass on the second run is recorded as `flaky` and the step passes, unless it was flaky
 * in the previous pipeline run too, in which case it fails and its output says why.
 */
export async function runStep(spec: StepSpec): Promise<StepResult> {
  const first = await attempt(spec, 1)
  if (first.exitCode === 0 || !retried(spec.step, first) || spec.signal?.aborted) {
    return result(spec, first, first.durationMs)
  }
  const second = await attempt(spec, 2)
  const duration = first.durationMs + second.durationMs
  if (second.exitCode !== 0) {
    const note = `macds: the ${spec.step.name} step failed twice (it was run again in case the failure was flaky)`
    return result(spec, { ...second, notes: [note, ...second.notes] }, duration)
  }

  const { name } = spec.step
  const notes = spec.flakyBefore
    ? [
        `macds: the ${name} step is flaky twice in a row: it failed, then passed when run again, in this pipeline run and in the previous one.`,
        'macds: a pass on a second run is not accepted twice in a row; find and fix the flaky test.',
      ]
    : [`macds: the ${name} step failed, then passed when run again: recorded as flaky.`]
  const budget = spec.budget
  const firstTail = formatTail(first.output, Math.floor(budget / 2), [...notes, ...first.notes])
  const secondRoom = Math.max(0, budget - firstTail.length - SECOND_RUN_HEADING.length - 2)
  const secondTail = formatTail(second.output, secondRoom, second.notes)
  return {
    name,
    exit_code: spec.flakyBefore ? first.exitCode : 0,
    timed_out: false,
    duration_ms: duration,
    output_tail: spec.redact([firstTail, SECOND_RUN_HEADING, secondTail].join('\n')).slice(0, budget),
    flaky: true,
    log: spec.logPath,
  }
}

function attempt(spec: StepSpec, n: number): Promise<Attempt> {
  spec.onStep?.({ type: 'started', step: spec.step.name, attempt: n, command: commandLine(spec.step) })
  return runAttempt({ ...spec, append: n > 1 })
}

function retried(step: PipelineStep, first: Attempt): boolean {
  return RETRIED.includes(step.name) && !first.timedOut && !first.aborted && !first.notStarted
}

function result(spec: StepSpec, attempt: Attempt, durationMs: number): StepResult {
  const tail = formatTail(attempt.output, spec.budget, attempt.notes)
  return {
    name: spec.step.name,
    exit_code: attempt.exitCode,
    timed_out: attempt.timedOut,
    duration_ms: durationMs,
    // Lines were redacted one by one; this also catches a secret spread over several lines.
    output_tail: spec.redact(tail).slice(0, spec.budget),
    log: spec.logPath,
  }
}
