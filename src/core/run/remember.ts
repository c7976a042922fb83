import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import type { Violation } from '../contracts/types.js'
import { type MemoryScope, MEMORY_SCOPES, type NewMemoryEntry, type RecalledEntry } from '../memory/index.js'
import { record, type RunContext } from './context.js'

type Json = Record<string, unknown>

/** How sure a note an agent wrote is, and one macds derived from a failure. */
const NOTE_CONFIDENCE = 0.8
const FAILURE_CONFIDENCE = 1

/**
 * The notes an agent should see for a stage, strongest and most relevant first, within its budget;
 * logged as memory.recalled. None when the run has no memory.
 */
export function recall(
  run: RunContext,
  at: { stage: string; agent: string; visit: number; task?: string },
  text: string,
): RecalledEntry[] {
  if (!run.memory) return []
  const recalled = run.memory.recall({
    agent: at.agent,
    text: `${run.state.requirement}\n${text}`,
    tags: [at.stage],
  })
  if (recalled.length > 0)
    record(run, { type: 'memory.recalled', ...at, ids: recalled.map((r) => r.entry.id) })
  return recalled
}

/** Adds a note in the background; `settleMemory` waits for every note added so far. */
export function remember(run: RunContext, note: NewMemoryEntry): void {
  const memory = run.memory
  if (!memory) return
  // Notes are kept on disk and shared ones committed: a secret in them is masked like in the log.
  const content = run.redact ? run.redact(note.content) : note.content
  track(run, memory.add({ ...note, content }))
}

/** Keeps a memory write for `settleMemory`; a write that fails loses the note, never the run. */
function track(run: RunContext, write: Promise<unknown>): void {
  const settled = write.then(
    () => undefined,
    () => undefined,
  )
  ;(run.memoryWrites ??= []).push(settled)
}

/** Waits for the notes added so far to be on disk. */
export async function settleMemory(run: RunContext): Promise<void> {
  while (run.memoryWrites && run.memoryWrites.length > 0) {
    const writes = run.memoryWrites
    run.memoryWrites = []
    await Promise.all(writes)
  }
}

/** Strengthens the notes recalled for a stage that passed: they helped. */
export function reinforce(run: RunContext, recalled: readonly RecalledEntry[]): void {
  if (!run.memory || recalled.length === 0) return
  track(run, run.memory.reinforce(recalled.map((r) => r.entry.id)))
}

/** The notes an accepted output carries in `memory_notes`, kept for its agent. */
export function rememberNotes(run: RunContext, at: { stage: string; agent: string }, output: Json): void {
  const notes = (output.memory_notes ?? []) as { scope: string; text: string }[]
  for (const note of notes) {
    if (!MEMORY_SCOPES.includes(note.scope as MemoryScope)) continue
    remember(run, {
      scope: note.scope as MemoryScope,
      agent: at.agent,
      content: note.text,
      tags: [at.stage],
      confidence: NOTE_CONFIDENCE,
      source: { run: run.state.run_id, stage: at.stage },
    })
  }
}

/** A failure an agent should not repeat: what went wrong in a stage, tagged with the stage (and rules). */
export function rememberFailure(
  run: RunContext,
  at: { stage: string; agent: string },
  content: string,
  tags: string[] = [],
): void {
  remember(run, {
    scope: 'failure',
    agent: at.agent,
    content,
    tags: [at.stage, ...tags],
    confidence: FAILURE_CONFIDENCE,
    source: { run: run.state.run_id, stage: at.stage },
  })
}

/** The contract violations an agent had to repair in a stage, as one failure note. */
export function rememberViolations(
  run: RunContext,
  at: { stage: string; agent: string },
  found: Violation[],
): void {
  const errors = found.filter((v) => v.severity === 'error')
  if (errors.length === 0) return
  const rules = [...new Set(errors.map((v) => v.rule_id))]
  const lines = errors
    .slice(0, 3)
    .map((v) => `${v.rule_id}: ${v.message}${v.suggested_fix ? ` (fix: ${v.suggested_fix})` : ''}`)
  rememberFailure(run, at, `In ${at.stage}, an answer broke the contract: ${lines.join('; ')}`, rules)
}

/** The design decisions of a run about to merge, as project memory every agent may recall. */
export function rememberDecisions(run: RunContext): void {
  const stage = run.state.workflow.stages.find((s) => s.contract === 'architecture')
  const decisions = ((stage && (run.state.outputs[stage.id] as Json | undefined)?.decisions) ?? []) as {
    title: string
    decision: string
  }[]
  for (const d of decisions) {
    remember(run, {
      scope: 'project',
      agent: 'all',
      content: `${d.title}: ${d.decision}`,
      tags: ['decision'],
      confidence: NOTE_CONFIDENCE,
      source: { run: run.state.run_id, stage: stage?.id },
    })
  }
}

/**
 * Waits for every note and commits the shared scopes' files on the run branch, so that they land
 * with the merge (and the worktree is clean before the target is merged into it). Before integration
 * the run's design decisions are noted first, as project memory.
 */
export async function commitMemory(run: RunContext, options: { decisions: boolean }): Promise<void> {
  if (!run.memory) return
  if (options.decisions) rememberDecisions(run)
  await settleMemory(run)
  // The policy says which scopes are shared; their files live in the worktree.
  const memory = run.memory
  const files = MEMORY_SCOPES.filter((scope) => memory.policy.scopes[scope].shared)
    .map((scope) => memory.file(scope))
    .filter((file) => existsSync(file))
    .map((file) => relative(run.workspace.root, file))
  if (files.length === 0) return
  await run.log.flush()
  const by = { agent: 'memory', stage: 'integration' }
  const commit = await run.workspace.commitFiles(files, `Remember what run ${run.state.run_id} learned`, by)
  if (commit) {
    const detail = 'notes of the shared memory scopes'
    record(run, { type: 'effect.recorded', ...by, kind: 'memory', name: 'memory', detail, commit })
  }
}
