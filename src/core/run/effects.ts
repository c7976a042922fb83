import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentDefinition } from '../agents/types.js'
import type { Violation } from '../contracts/types.js'
import type { StageSpec } from '../workflow/types.js'
import { record, type RunContext } from './context.js'
import { runPaths } from './paths.js'
import type { AppliedChangeSet, Author, ChangeSet, PipelineRun } from './workspace.js'

type Json = Record<string, unknown>

/**
 * Checks the effects of an output the contract accepted before anything acts on them: artifacts only
 * their owner may write, and a ChangeSet the guard lets through. What needs a person's approval is
 * put in `approvals`; refusals come back as violations the agent repairs.
 */
export function verifyEffects(
  run: RunContext,
  agent: AgentDefinition,
  output: Json,
  approvals: string[],
): Violation[] | Promise<Violation[]> {
  if (output.artifacts === undefined && output.changeset === undefined) return []
  return verifyWorld(run, agent, output, approvals)
}

async function verifyWorld(
  run: RunContext,
  agent: AgentDefinition,
  output: Json,
  approvals: string[],
): Promise<Violation[]> {
  const violations: Violation[] = []
  const owned = agent.permissions.artifacts as string[]
  for (const [name, content] of Object.entries((output.artifacts ?? {}) as Record<string, string>)) {
    if (owned.includes(name)) {
      const problem = await run.workspace.checkArtifact(name, content)
      if (problem)
        violations.push({
          rule_id: 'ARTIFACT-CONTENT',
          severity: 'error',
          message: problem,
          location: `/artifacts/${name}`,
          suggested_fix: `Give ${name} content that meets its rules.`,
        })
      continue
    }
    violations.push({
      rule_id: 'ARTIFACT-OWNER',
      severity: 'error',
      message: `${agent.id} does not own the artifact ${name}; only its owner may change it`,
      location: `/artifacts/${name}`,
      suggested_fix: `Leave ${name} out of artifacts${owned.length > 0 ? `; ${agent.id} owns ${owned.join(', ')}` : ''}.`,
    })
  }
  const changeset = output.changeset as ChangeSet | undefined
  approvals.length = 0
  if (changeset) {
    const trusted = run.state.autonomy[agent.id]?.level === 'trusted'
    const checked = await run.workspace.checkChangeSet(changeset, agent, trusted)
    violations.push(...checked.violations)
    approvals.push(...checked.approvals)
  }
  return violations
}

/**
 * Runs the validation pipeline for a stage, records its outcome, and marks the run's ChangeSets with
 * the steps that passed (their postcondition).
 */
export async function validate(run: RunContext, spec: StageSpec, signal: AbortSignal): Promise<PipelineRun> {
  await run.log.flush()
  const ran = await run.workspace.runPipeline(signal)
  const steps = ran.results.map(({ name, exit_code, timed_out, duration_ms, flaky }) => ({
    name,
    exit_code,
    timed_out,
    duration_ms,
    ...(flaky ? { flaky } : {}),
  }))
  record(run, { type: 'pipeline.finished', stage: spec.id, passed: ran.passed, steps })
  // Recorded like any effect, so that a resumed run keeps the formatted tree it validated.
  if (ran.commit) {
    const detail = 'files the format step rewrote'
    record(run, {
      type: 'effect.recorded',
      stage: spec.id,
      agent: 'pipeline',
      kind: 'format',
      name: 'format',
      detail,
      commit: ran.commit,
    })
  }
  if (run.workspace.info) {
    const passed = ran.results.filter((r) => r.exit_code === 0).map((r) => r.name)
    for (const { id } of Object.values(run.state.changesets)) await markValidated(run, id, passed, ran.passed)
  }
  return ran
}

/** Where the JSON of a ChangeSet is kept. */
export function changeSetFile(run: RunContext, id: string): string {
  return join(runPaths(run.config.root, run.state.run_id).dir, 'changesets', `${id}.json`)
}

/** Keeps an applied ChangeSet with its precondition: the commit it was applied on. */
export async function saveChangeSet(
  run: RunContext,
  id: string,
  changeset: ChangeSet,
  applied: { base: string; commit: string },
): Promise<void> {
  const file = changeSetFile(run, id)
  await mkdir(join(file, '..'), { recursive: true })
  const kept = { id, ...changeset, precondition: { base: applied.base }, commit: applied.commit }
  await writeFile(file, `${JSON.stringify(kept, null, 2)}\n`)
}

async function markValidated(run: RunContext, id: string, passed: string[], all: boolean): Promise<void> {
  const file = changeSetFile(run, id)
  const kept = JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as Json | null
  if (!kept) return
  kept.postcondition = { pipeline_passed: all, steps_passed: passed }
  await writeFile(file, `${JSON.stringify(kept, null, 2)}\n`)
}

/** Applies the ChangeSet and writes the artifacts of an accepted output, after flushing the log (effects are irreversible). */
export async function recordEffects(
  run: RunContext,
  spec: StageSpec,
  agent: AgentDefinition,
  output: Json,
): Promise<void> {
  const changeset = output.changeset as ChangeSet | undefined
  const artifacts = (output.artifacts ?? {}) as Record<string, string>
  if (!changeset && Object.keys(artifacts).length === 0) return
  await run.log.flush()
  const by = { agent: agent.id, stage: spec.id }
  if (changeset) {
    const applied = await run.workspace.applyChangeSet(changeset, by)
    if (run.workspace.info) await saveChangeSet(run, applied.id, changeset, applied)
    recordChangeSet(run, by, changeset, applied)
  }
  for (const [name, content] of Object.entries(artifacts)) {
    const commit = await run.workspace.writeArtifact(name, content, by)
    const detail = commit ? `${content.length} characters` : 'unchanged'
    record(run, {
      type: 'effect.recorded',
      ...by,
      kind: 'artifact',
      name,
      detail,
      ...(commit ? { commit } : {}),
    })
  }
}

/** Records a ChangeSet committed on the run branch; the repository map is built again when next needed. */
export function recordChangeSet(
  run: RunContext,
  by: Author,
  changeset: ChangeSet,
  applied: AppliedChangeSet,
): void {
  run.repoMap = undefined
  record(run, {
    type: 'effect.recorded',
    ...by,
    kind: 'changeset',
    name: applied.id,
    detail: changeset.intent,
    commit: applied.commit,
    diff: applied.diff,
  })
}
