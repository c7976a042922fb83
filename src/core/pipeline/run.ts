import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import picomatch from 'picomatch'
import type { PipelineConfig, PipelineStep } from '../config/workspace-types.js'
import { MacdsError } from '../errors.js'
import { createRedactor } from '../secrets.js'
import { commandLine } from './attempt.js'
import { commandEnv } from './env.js'
import { runStep } from './step.js'
import { type PipelineOptions, type PipelineReport, succeeded } from './types.js'
import { changedPaths, worktreeState } from './worktree.js'

const DEFAULT_OUTPUT_CHARS = 4000
const DEFAULT_GRACE_MS = 2000

/**
 * Runs the validation pipeline in `options.cwd`: the configured steps in order, each without a shell
 * (unless it asks for one), with a scrubbed environment, in its own process group that is killed on
 * timeout. Stops at the first failing step. A step whose `when_changed` globs match no changed path
 * is skipped. After each step the work tree is compared with before, so a formatter that rewrites
 * files shows up in `rewrote`. A failing step is data in the report; the promise rejects only when
 * `options.signal` aborts (with its reason, once the running group is killed) or when `cwd` or the
 * log folder is unusable.
 */
export async function runPipeline(config: PipelineConfig, options: PipelineOptions): Promise<PipelineReport> {
  const { cwd, signal, onStep } = options
  signal?.throwIfAborted()
  await checkFolders(cwd, options.logDir)
  const { env, secrets, warnings } = commandEnv(config.env)
  const redact = chain(createRedactor(secrets), options.redact)
  const runs = config.steps.filter((step) => selected(step, options.changed))
  const report: PipelineReport = {
    passed: true,
    pipeline: runs.map((step) => ({ name: step.name, command: commandLine(step) })),
    results: [],
    skipped: config.steps.filter((step) => !runs.includes(step)).map((step) => step.name),
    warnings,
  }

  let before = runs.length > 0 ? await worktreeState(cwd, signal) : undefined
  if (runs.length > 0 && before === undefined) {
    warnings.push(`${cwd} is not a git work tree: files rewritten by pipeline steps are not detected`)
  }
  for (const [index, step] of config.steps.entries()) {
    if (!runs.includes(step)) {
      onStep?.({ type: 'skipped', step: step.name })
      continue
    }
    const result = await runStep({
      step,
      cwd,
      env,
      logPath: join(options.logDir, `${index + 1}-${step.name}.log`),
      budget: options.outputChars ?? DEFAULT_OUTPUT_CHARS,
      redact,
      graceMs: options.killGraceMs ?? DEFAULT_GRACE_MS,
      signal,
      flakyBefore: options.flakyBefore?.includes(step.name) ?? false,
      onStep,
    })
    signal?.throwIfAborted()
    if (before !== undefined) {
      const after = await worktreeState(cwd, signal)
      const rewrote = after === undefined ? [] : changedPaths(before, after)
      if (rewrote.length > 0) result.rewrote = rewrote
      before = after
    }
    report.results.push(result)
    onStep?.({ type: 'finished', step: step.name, result })
    if (!succeeded(result)) {
      report.passed = false
      break
    }
  }
  return report
}

/** The steps recorded as flaky in a report: pass them as `flakyBefore` to the next pipeline run. */
export function flakySteps(report: PipelineReport): string[] {
  return report.results.filter((result) => result.flaky === true).map((result) => result.name)
}

/** Whether a step runs: it has no `when_changed` globs, everything changed, or a changed path matches. */
function selected(step: PipelineStep, changed: readonly string[] | 'all'): boolean {
  if (step.when_changed.length === 0 || changed === 'all') return true
  const matches = picomatch(step.when_changed, { dot: true })
  return changed.some((path) => matches(path))
}

function chain(first: (text: string) => string, second?: (text: string) => string): (text: string) => string {
  return second === undefined ? first : (text) => second(first(text))
}

async function checkFolders(cwd: string, logDir: string): Promise<void> {
  const isDir = await stat(cwd).then(
    (s) => s.isDirectory(),
    () => false,
  )
  if (!isDir) {
    throw new MacdsError('PIPELINE_CWD', `the pipeline cannot run in ${cwd}: it is not a folder`, {
      kind: 'bug',
      hint: 'The run worktree is missing; run `macds clean` and start the run again.',
    })
  }
  try {
    await mkdir(logDir, { recursive: true })
  } catch (error) {
    throw new MacdsError('PIPELINE_LOG', `cannot create the pipeline log folder ${logDir}`, {
      kind: 'external',
      hint: 'Check that the folder can be written and that the disk is not full.',
      cause: error,
    })
  }
}
