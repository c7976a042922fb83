import type { Writable } from 'node:stream'
import { loadConfig } from '../core/config/load.js'
import type { PipelineEvent, StepResult } from '../core/pipeline/index.js'
import { succeeded } from '../core/pipeline/types.js'
import type { BranchValidation } from '../core/workspace/validate-branch.js'
import { type Command, say } from './command.js'
import { projectRedactor } from './provider-options.js'

/**
 * `macds validate [BRANCH]`: the project's pipeline on the committed content of a branch, in a
 * temporary worktree, with no agent involved. Exit 0 when every step passed, 1 when one failed,
 * 130 when interrupted (the worktree is removed all the same).
 */
export const validateCommand: Command = {
  name: 'validate',
  args: '[BRANCH]',
  summary: 'run the validation pipeline on a branch (default: the current one), no agents involved',
  positionals: { min: 0, max: 1 },
  options: { json: { type: 'boolean', description: 'print the report as JSON' } },
  async run(context) {
    const config = await loadConfig(context.cwd)
    const json = context.options.json === true
    const out = context.stdout
    const controller = new AbortController()
    const onSignal = () => controller.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      // Loaded when it runs: it brings git and the pipeline's process handling with it.
      const { validateBranch } = await import('../core/workspace/validate-branch.js')
      const validation = await validateBranch(config, {
        branch: context.positionals[0],
        signal: controller.signal,
        redact: projectRedactor(config),
        onStart: json
          ? undefined
          : (start) =>
              say(out, `validating ${start.branch} (${start.commit.slice(0, 12)}) in a temporary worktree`),
        onStep: json ? undefined : (event) => progress(out, event),
      })
      if (json) say(out, JSON.stringify(asJson(validation), null, 2))
      else conclude(out, validation)
      return validation.report.passed ? 0 : 1
    } catch (error) {
      if (!controller.signal.aborted) throw error
      say(context.stderr, 'macds: validation interrupted; the temporary worktree was removed')
      return 130
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  },
}

/** A line when a step starts or is skipped, and a line (plus the output tail of a failure) when it ends. */
function progress(out: Writable, event: PipelineEvent): void {
  const step = `  ${event.step.padEnd(8)}`
  switch (event.type) {
    case 'started':
      return say(
        out,
        event.attempt === 1
          ? `${step} running ${event.command.join(' ')}`
          : `${step} failed; running again (attempt ${event.attempt}) in case the failure is flaky`,
      )
    case 'skipped':
      return say(out, `${step} skipped: no changed file matches its when_changed globs`)
    case 'finished':
      say(out, `${step} ${outcome(event.result)}`)
      if (event.result.rewrote) say(out, `      rewrote ${event.result.rewrote.join(', ')}`)
      if (!succeeded(event.result)) say(out, indent(event.result.output_tail))
      return
  }
}

function outcome(result: StepResult): string {
  const facts = `exit ${result.exit_code}, ${(result.duration_ms / 1000).toFixed(1)} s`
  if (result.timed_out) return `timed out and was killed (${facts})`
  if (!succeeded(result)) return `failed (${facts})`
  if (result.flaky) return `passed, but flaky: it failed, then passed when run again (${facts})`
  return `passed (${facts})`
}

function conclude(out: Writable, validation: BranchValidation): void {
  const { branch, commit, logDir, report } = validation
  for (const warning of report.warnings) say(out, `warning: ${warning}`)
  say(out, `full logs: ${logDir}`)
  const at = `${branch} (${commit.slice(0, 12)})`
  const failed = report.results.find((result) => !succeeded(result))
  if (failed) say(out, `${at} failed validation: the ${failed.name} step failed`)
  else say(out, `${at} passed validation: ${steps(report.results.length)} passed`)
}

function steps(n: number): string {
  return n === 1 ? '1 step' : `${n} steps`
}

function asJson(validation: BranchValidation) {
  const { branch, commit, logDir, report } = validation
  return { branch, commit, log_dir: logDir, ...report }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')
}
