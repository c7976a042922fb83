import {
  type GuardConfig,
  type IntegrationConfig,
  PIPELINE_STEP_NAMES,
  type PipelineConfig,
  type PipelineStepName,
} from './workspace-types.js'

/** How long a step may run when macds.yaml names no timeout, in seconds. */
const DEFAULT_TIMEOUT_SECONDS: Record<PipelineStepName, number> = {
  install: 600,
  format: 300,
  lint: 300,
  build: 600,
  test: 600,
}

export const DEFAULT_GUARD: GuardConfig = {
  protected: ['.github/**', '.gitlab-ci.yml', 'macds.yaml', 'contracts/**', 'agents/**'],
  max_deleted_lines: 200,
  max_file_bytes: 1_000_000,
  trusted_may_change: [],
}

interface StepSection {
  command: string[] | string
  shell?: boolean
  timeout_seconds?: number
  when_changed?: string[]
}

type PipelineSection = Partial<Record<PipelineStepName, StepSection>> & { env?: string[] }

/** The pipeline of macds.yaml with defaults filled in (no section: no steps). */
export function pipelineOf(section: PipelineSection | undefined): PipelineConfig {
  const steps = PIPELINE_STEP_NAMES.flatMap((name) => {
    const step = section?.[name]
    if (!step) return []
    const shell = step.shell === true
    return [
      {
        name,
        command: typeof step.command === 'string' ? [step.command] : step.command,
        shell,
        timeout_ms: Math.round((step.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS[name]) * 1000),
        when_changed: step.when_changed ?? [],
      },
    ]
  })
  return { steps, env: section?.env ?? [] }
}

/** Problems of the pipeline section that its schema cannot express, as JSON pointers into macds.yaml. */
export function pipelineProblems(
  section: PipelineSection | undefined,
): { pointer: string; message: string; hint: string }[] {
  return PIPELINE_STEP_NAMES.flatMap((name) => {
    const step = section?.[name]
    if (!step || step.shell === true || typeof step.command !== 'string') return []
    return [
      {
        pointer: `/pipeline/${name}/command`,
        message: `pipeline.${name}.command is a command line, but commands run without a shell`,
        hint: `Write it as a list, such as [${step.command.split(/\s+/).join(', ')}], or add shell: true.`,
      },
    ]
  })
}

export function guardOf(section: Partial<GuardConfig> | undefined): GuardConfig {
  return { ...DEFAULT_GUARD, ...section }
}

export function integrationOf(section: Partial<IntegrationConfig> | undefined): IntegrationConfig {
  return { strategy: section?.strategy ?? 'commits', target: section?.target }
}
