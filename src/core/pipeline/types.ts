import type { PipelineStepName } from '../config/workspace-types.js'

/** How `runPipeline` runs the configured steps. */
export interface PipelineOptions {
  /** The work tree the commands run in (a git worktree of the run). */
  cwd: string
  /**
   * Paths changed since the last pipeline run, relative to `cwd`, or 'all' (first run, or unknown):
   * a step with `when_changed` globs runs only when one of them matches.
   */
  changed: readonly string[] | 'all'
  /**
   * Where the full output of each step goes, as `<n>-<step>.log` (n: the step's place among the
   * configured steps, from 1); created if needed. Files of an earlier run in the same folder are
   * overwritten: give each pipeline run its own folder to keep them.
   */
  logDir: string
  /** Cancels the pipeline: the running command's process group is killed and the promise rejects. */
  signal?: AbortSignal
  /** Masks secrets in output tails and logs, on top of the values of secret-named variables passed. */
  redact?: (text: string) => string
  /** Progress: called when an attempt starts, when a step finishes and when a step is skipped. */
  onStep?: (event: PipelineEvent) => void
  /** Character budget of each step's `output_tail` (default 4000). */
  outputChars?: number
  /**
   * Steps that were flaky in the previous pipeline run of the same work (see `flakySteps`): a step
   * flaky again fails, so a flaky test is shown, never silently accepted twice in a row.
   */
  flakyBefore?: readonly string[]
  /** Time a killed process group gets between SIGTERM and SIGKILL (default 2000 ms). */
  killGraceMs?: number
}

/** The outcome of one step that ran; a superset of a `build_test` input result. */
export interface StepResult {
  name: PipelineStepName
  /** Exit code; -1 when the command was killed (timeout, signal) or could not start. */
  exit_code: number
  /** The step ran longer than its `timeout_ms` and its process group was killed. */
  timed_out: boolean
  duration_ms: number
  /** Failure and error lines first, then the last lines, within the budget; secrets redacted. */
  output_tail: string
  /** The test step failed, then passed when run again; the pipeline passes unless it was flaky before. */
  flaky?: boolean
  /** Paths (relative to the repository root) the step created, changed or deleted, e.g. by a formatter. */
  rewrote?: string[]
  /** The file holding the step's full output. */
  log: string
}

/** What `runPipeline` returns; `pipeline` and `results` fit the `build_test` contract's input. */
export interface PipelineReport {
  /** Every step in `pipeline` ran and succeeded. */
  passed: boolean
  /** The steps selected to run, in order; skipped steps are not in it. */
  pipeline: { name: PipelineStepName; command: string[] }[]
  /** The steps that ran, in order; the pipeline stops at the first failing step. */
  results: StepResult[]
  /** Steps left out because no changed path matched their `when_changed` globs. */
  skipped: PipelineStepName[]
  /** Things the user should know that did not fail the pipeline (a secret-named variable passed...). */
  warnings: string[]
}

/** Progress of a pipeline, in the order things happen. */
export type PipelineEvent =
  | { type: 'started'; step: PipelineStepName; attempt: number; command: string[] }
  | { type: 'finished'; step: PipelineStepName; result: StepResult }
  | { type: 'skipped'; step: PipelineStepName }

/** A step passed when it exited 0 without timing out (as the build_test contract judges it). */
export function succeeded(result: Pick<StepResult, 'exit_code' | 'timed_out'>): boolean {
  return result.exit_code === 0 && !result.timed_out
}
