/** The steps of the validation pipeline, in the order they run. */
export const PIPELINE_STEP_NAMES = ['install', 'format', 'lint', 'build', 'test'] as const
export type PipelineStepName = (typeof PIPELINE_STEP_NAMES)[number]

/** One configured command of the validation pipeline (`pipeline.<name>` in macds.yaml). */
export interface PipelineStep {
  name: PipelineStepName
  /** Program and arguments, run without a shell; with `shell`, a single command line for the shell. */
  command: string[]
  shell: boolean
  /** The whole process group is killed when the command runs longer. */
  timeout_ms: number
  /**
   * Globs of files whose change makes the step run (install: manifests and lock files). Empty: it
   * always runs.
   */
  when_changed: string[]
}

/** The validation pipeline of a repository (the `pipeline:` section of macds.yaml). */
export interface PipelineConfig {
  /** The configured steps, in PIPELINE_STEP_NAMES order; steps not configured are left out. */
  steps: PipelineStep[]
  /** Environment variables passed to commands on top of the built-in allowlist (PATH, HOME, ...). */
  env: string[]
}

/** What a ChangeSet may do before a person must approve it (the `guard:` section of macds.yaml). */
export interface GuardConfig {
  /** Globs of paths whose change needs a person's approval. */
  protected: string[]
  /** A ChangeSet deleting more lines than this needs a person's approval. */
  max_deleted_lines: number
  /** No file a ChangeSet writes may be larger than this. */
  max_file_bytes: number
  /**
   * Entries of `protected` that a trusted agent (autonomy above the high threshold) may change
   * without a person's approval. A trusted agent may also delete more than `max_deleted_lines`.
   */
  trusted_may_change: string[]
}

/** How a finished run reaches its target branch (the `integration:` section of macds.yaml). */
export interface IntegrationConfig {
  /** `commits`: one commit per ChangeSet and artifact change; `squash`: one commit per run. */
  strategy: 'commits' | 'squash'
  /** The branch runs integrate into; undefined: the branch checked out when the run starts. */
  target: string | undefined
}
