import { createHash } from 'node:crypto'

/** A ChangeSet as the implementation and infra agents write it. */
export interface ChangeSet {
  intent: string
  rationale?: string
  files: {
    path: string
    action: 'create' | 'modify' | 'delete'
    content?: string
    edits?: { search: string; replace: string }[]
  }[]
  validation_plan?: { tests_to_run: string[] }
}

/** Facts about the branches that the integration stage judges. */
export interface BranchFacts {
  target_branch: string
  target_tip: string
  run_branch: string
  run_tip: string
  merge_base: string
}

/**
 * Where a run's effects land. The run calls it for every effect of an accepted output; an
 * implementation either applies them (a git worktree) or only records them.
 */
export interface Workspace {
  applyChangeSet(changeset: ChangeSet): Promise<{ id: string; commit: string; diff: string }>
  writeArtifact(name: string, content: string): Promise<void>
  runPipeline(): Promise<{ pipeline: { name: string; command: string[] }[]; results: PipelineResult[] }>
  branches(): Promise<BranchFacts>
}

export interface PipelineResult {
  name: string
  exit_code: number
  timed_out: boolean
  duration_ms: number
  output_tail: string
}

/** `CS_` and the first 12 hex digits of the SHA-256 of the ChangeSet's canonical JSON. */
export function changeSetId(changeset: ChangeSet): string {
  return `CS_${createHash('sha256').update(canonicalJson(changeset)).digest('hex').slice(0, 12)}`
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

const UNAPPLIED = '0'.repeat(40)

/** The pipeline step of a recording workspace. */
export const RECORDED_STEP = 'recorded'

/**
 * A workspace that records effects without applying them: ChangeSets get their id and a diff drawn
 * from their content, the pipeline is one step that says nothing ran, and the branches do not move.
 */
export function recordingWorkspace(targetBranch = 'main'): Workspace {
  return {
    async applyChangeSet(changeset) {
      return { id: changeSetId(changeset), commit: UNAPPLIED, diff: describeChangeSet(changeset) }
    },
    async writeArtifact() {},
    async runPipeline() {
      // Nothing is applied, so there is nothing to run; the one step says so to the build_test agent.
      const output_tail = 'No pipeline ran: the effects of this run are recorded, not applied.'
      return {
        pipeline: [{ name: RECORDED_STEP, command: ['macds', 'record'] }],
        results: [{ name: RECORDED_STEP, exit_code: 0, timed_out: false, duration_ms: 0, output_tail }],
      }
    },
    async branches() {
      const tip = UNAPPLIED
      return {
        target_branch: targetBranch,
        target_tip: tip,
        run_branch: targetBranch,
        run_tip: tip,
        merge_base: tip,
      }
    },
  }
}

/** A unified-diff-like text of a ChangeSet, for reviewers when no repository applies it. */
export function describeChangeSet(changeset: ChangeSet): string {
  return changeset.files
    .map((file) => {
      const head = `--- a/${file.path}\n+++ b/${file.path}`
      if (file.action === 'delete') return `${head}\n(deleted)`
      if (file.content !== undefined) return `${head}\n${prefixed(file.content, '+')}`
      const edits = (file.edits ?? []).map((e) => `${prefixed(e.search, '-')}\n${prefixed(e.replace, '+')}`)
      return `${head}\n${edits.join('\n')}`
    })
    .join('\n')
}

function prefixed(text: string, mark: string): string {
  return text
    .split('\n')
    .map((line) => `${mark}${line}`)
    .join('\n')
}
