import { createHash } from 'node:crypto'
import type { AgentDefinition } from '../agents/types.js'
import type { Violation } from '../contracts/types.js'
import type { StepResult } from '../pipeline/types.js'

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
  /** Whether the pipeline passed again after the target's new commits were merged into the run branch. */
  pipeline_passed?: boolean
  /** Paths where the target's new commits conflict with the run's (the merge was undone). */
  conflicting_paths?: string[]
}

/** A ChangeSet committed on the run branch. */
export interface AppliedChangeSet {
  id: string
  base: string
  commit: string
  diff: string
}

/** Who makes a change: the agent and the stage it works in. */
export interface Author {
  agent: string
  stage: string
}

/** Where a run works in git, recorded in run.started so that resume finds it again. */
export interface WorkspaceInfo {
  /** The run's worktree, where agents read and commands run. */
  worktree: string
  /** The run branch, macds/<run-id>. */
  branch: string
  /** The branch the run integrates into, and its tip when the run started. */
  target: string
  base: string
}

/** What a ChangeSet would do that the guard refuses (violations) or that needs a person (approvals). */
export interface ChangeSetCheck {
  violations: Violation[]
  approvals: string[]
}

/** The validation pipeline's outcome, in the shape the build_test contract takes. */
export interface PipelineRun {
  passed: boolean
  /** The commit of what the format step rewrote, when it rewrote tracked files. */
  commit?: string
  pipeline: { name: string; command: string[] }[]
  results: PipelineResult[]
}

/** The move of the target branch that integration is about to make, logged before it is made. */
export interface IntegrationPlan {
  target: string
  from: string
  to: string
  strategy: 'commits' | 'squash'
}

/** How integration ended: the target moved, or was left alone (with what to do), or nothing is applied. */
export type IntegrationOutcome =
  | { status: 'merged'; plan: IntegrationPlan; message: string }
  | { status: 'kept' | 'failed' | 'recorded'; message: string }

/**
 * Where a run's effects land. The run calls it for every effect of an accepted output; an
 * implementation either applies them (a git worktree) or only records them.
 */
export interface Workspace {
  /** The directory agents read: the run's worktree, or the repository. */
  readonly root: string
  readonly info: WorkspaceInfo | undefined
  /** The configured pipeline steps, without running them (what infra is told). */
  readonly pipeline: PipelineRun['pipeline']
  /** Checks a ChangeSet against the guard; a trusted agent skips the approvals its autonomy waives. */
  checkChangeSet(changeset: ChangeSet, agent: AgentDefinition, trusted?: boolean): Promise<ChangeSetCheck>
  /** Applies and commits a checked ChangeSet; `base` is the commit it was applied on. */
  applyChangeSet(changeset: ChangeSet, by: Author): Promise<AppliedChangeSet>
  /** Why an artifact's owner may not write this content (API_CONTRACTS.yaml that is not YAML...), or undefined. */
  checkArtifact(name: string, content: string): Promise<string | undefined>
  /**
   * Commits these files (relative to `root`) as they are in the worktree, even where a .gitignore
   * ignores them; the commit, if one was made.
   */
  commitFiles(paths: string[], message: string, by: Author): Promise<string | undefined>
  /**
   * Writes an artifact its owner changed (new entries of an append-only artifact are appended); the
   * commit, or undefined when nothing changed.
   */
  writeArtifact(name: string, content: string, by: Author): Promise<string | undefined>
  /** Runs the validation pipeline; an abort of `signal` kills the running step and rejects with its reason. */
  runPipeline(signal?: AbortSignal): Promise<PipelineRun>
  /**
   * The branches the integrator judges; the target is merged into the run branch first if it moved
   * (and the pipeline run again, stopped like `runPipeline` by `signal`).
   */
  branches(signal?: AbortSignal): Promise<BranchFacts>
  /**
   * Moves the target to the validated run branch by compare-and-swap. `planned` is called with the
   * move before it is made (the run logs it); `previous` is a move logged by an earlier process.
   */
  integrate(options: {
    merge: boolean
    previous?: IntegrationPlan
    signal?: AbortSignal
    planned: (plan: IntegrationPlan) => Promise<void>
  }): Promise<IntegrationOutcome>
  /**
   * Tidies up once the run is over: the worktree goes; the branch goes once merged, or when a failed
   * or cancelled run is not to be kept. A passed run that was not merged always keeps its branch.
   */
  close(options: { status: 'passed' | 'failed' | 'cancelled'; merged: boolean; keep: boolean }): Promise<void>
}

/** One pipeline step's result as a build_test input holds it (without the log file's path). */
export type PipelineResult = Omit<StepResult, 'name' | 'log'> & { name: string }

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
 * A workspace that records effects without applying them (a directory that is not a git repository):
 * ChangeSets get their id and a diff drawn from their content, the pipeline is one step that says
 * nothing ran, and no branch moves.
 */
export function recordingWorkspace(root: string, targetBranch = 'main'): Workspace {
  return {
    root,
    info: undefined,
    pipeline: [{ name: RECORDED_STEP, command: ['macds', 'record'] }],
    async checkChangeSet() {
      return { violations: [], approvals: [] }
    },
    async applyChangeSet(changeset) {
      const id = changeSetId(changeset)
      return { id, base: UNAPPLIED, commit: UNAPPLIED, diff: describeChangeSet(changeset) }
    },
    async checkArtifact() {
      return undefined
    },
    async commitFiles() {
      return undefined
    },
    async writeArtifact() {
      return undefined
    },
    async runPipeline() {
      // Nothing is applied, so there is nothing to run; the one step says so to the build_test agent.
      const output_tail = 'No pipeline ran: the effects of this run are recorded, not applied.'
      return {
        passed: true,
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
    async integrate() {
      return { status: 'recorded', message: 'the effects were recorded, not applied: no git repository' }
    },
    async close() {},
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
