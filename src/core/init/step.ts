import type { PipelineStepName } from '../config/workspace-types.js'

/**
 * The files of a repository that detection looks at: path relative to the root (top level only) to
 * its text. A path is present when the file exists; a directory is present as `name/` with empty text.
 */
export type RepoFiles = ReadonlyMap<string, string>

/** One pipeline command detected from the repository, as it is written into macds.yaml. */
export interface DetectedStep {
  name: PipelineStepName
  /** Program and arguments. */
  command: string[]
  /** Files whose change makes the step run; absent: it always runs. */
  when_changed?: string[]
  timeout_seconds: number
}

/** What one ecosystem's detector found. */
export interface EcosystemMatch {
  /** Where the commands came from, such as `package.json (scripts lint, test; npm, package-lock.json)`. */
  source: string
  steps: DetectedStep[]
  /** What a person should know when reviewing the commands. */
  notes: string[]
}

const DEFAULT_TIMEOUTS: Record<PipelineStepName, number> = {
  install: 600,
  format: 300,
  lint: 300,
  build: 600,
  test: 600,
}

/** A detected step with the default timeout of its kind unless one is given. */
export function step(
  name: PipelineStepName,
  command: string[],
  extra: { when_changed?: string[]; timeout_seconds?: number } = {},
): DetectedStep {
  return {
    name,
    command,
    ...(extra.when_changed ? { when_changed: extra.when_changed } : {}),
    timeout_seconds: extra.timeout_seconds ?? DEFAULT_TIMEOUTS[name],
  }
}
