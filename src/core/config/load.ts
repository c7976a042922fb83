import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as validators from '../../generated/file-validators.js'
import { fileShape } from '../contracts/file-shape.js'
import { invalidFilesError } from '../contracts/issues-error.js'
import { isObject, readCheckedYaml } from '../contracts/shape.js'
import { DEFAULT_CONFIG } from './defaults.js'
import { configFileSchema } from './schema.js'
import { DEFAULT_LOOP_BUDGET, DEFAULT_WORKFLOW } from '../workflow/default.js'
import type { Workflow } from '../workflow/types.js'
import type { ProviderConfig } from './types.js'
import { checkWorkflowFile } from './workflow-check.js'
import { guardOf, integrationOf, pipelineOf, pipelineProblems } from './workspace.js'
import type { GuardConfig, IntegrationConfig, PipelineConfig } from './workspace-types.js'
import {
  type EvaluationConfig,
  type EvaluationSection,
  evaluationOf,
  evaluationProblems,
} from '../evaluation/config.js'

/** A repository's configuration: macds.yaml merged onto the defaults, with paths made absolute. */
export interface ProjectConfig extends ProviderConfig {
  /** The repository root (the directory holding macds.yaml, or the working directory). */
  root: string
  /** The macds.yaml read, when there is one. */
  file: string | undefined
  paths: { contracts: string; agents: string }
  workflow: Workflow
  pipeline: PipelineConfig
  guard: GuardConfig
  integration: IntegrationConfig
  evaluation: EvaluationConfig
}

export const CONFIG_FILE = 'macds.yaml'

const validator = fileShape(validators.config, configFileSchema)

/**
 * Reads `<root>/macds.yaml` (the defaults when there is none). Every problem of the file is reported
 * at once, at file:line:col, as a user error; nothing is half-applied.
 */
export async function loadConfig(root: string): Promise<ProjectConfig> {
  const file = join(root, CONFIG_FILE)
  if (!existsSync(file)) return resolveConfig(root, undefined, {})
  const checked = await readCheckedYaml(file, validator, 'CONFIG_SHAPE')
  if (checked.issues.items.length > 0) {
    throw invalidFilesError(
      'CONFIG_INVALID',
      `${file} is invalid`,
      [{ issues: checked.issues.items, text: checked.text }],
      'Fix macds.yaml as shown; `macds init --force` writes a fresh one.',
    )
  }
  const config = resolveConfig(root, file, isObject(checked.value) ? checked.value : {})
  for (const problem of checkWorkflowFile(config.workflow)) {
    checked.issues.add('CONFIG_SHAPE', `/workflow${problem.pointer}`, problem.message, { hint: problem.hint })
  }
  const raw = checked.value as Record<string, never>
  for (const problem of [...pipelineProblems(raw.pipeline), ...evaluationProblems(raw.evaluation)]) {
    checked.issues.add('CONFIG_SHAPE', problem.pointer, problem.message, { hint: problem.hint })
  }
  if (checked.issues.items.length > 0) {
    throw invalidFilesError(
      'CONFIG_INVALID',
      `${file} is invalid`,
      [{ issues: checked.issues.items, text: checked.text }],
      'Fix macds.yaml as shown; without `workflow.stages` the default workflow runs.',
    )
  }
  return config
}

function resolveConfig(root: string, file: string | undefined, raw: Record<string, unknown>): ProjectConfig {
  const d = DEFAULT_CONFIG
  const paths = { ...d.paths, ...(raw.paths as object | undefined) }
  const openai = { ...d.openai, ...(raw.openai as object | undefined) } as ProjectConfig['openai']
  if ((openai.api_key_env as string | null) === null) openai.api_key_env = undefined
  return {
    root,
    file,
    provider: (raw.provider as ProjectConfig['provider'] | undefined) ?? d.provider,
    script: raw.script === undefined ? undefined : resolve(root, raw.script as string),
    openai,
    models: { ...d.models, ...(raw.models as object | undefined) },
    agent_models: { ...(raw.agent_models as object | undefined) },
    prices: { ...d.prices, ...(raw.prices as object | undefined) },
    paths: { contracts: resolve(root, paths.contracts), agents: resolve(root, paths.agents) },
    workflow: workflowOf(raw.workflow as WorkflowSection | undefined),
    pipeline: pipelineOf(raw.pipeline as Parameters<typeof pipelineOf>[0]),
    guard: guardOf(raw.guard as Partial<GuardConfig> | undefined),
    integration: integrationOf(raw.integration as Partial<IntegrationConfig> | undefined),
    evaluation: evaluationOf(raw.evaluation as EvaluationSection | undefined),
  }
}

interface WorkflowSection {
  concurrency?: number
  stages?: {
    id: string
    agent: string
    contract?: string
    depends_on?: string[]
    pass_when?: string
    on_failure?: { reopen: string; budget?: number }
  }[]
}

/** The workflow of macds.yaml with defaults filled in, or the default workflow. */
function workflowOf(section: WorkflowSection | undefined): Workflow {
  const concurrency = section?.concurrency ?? DEFAULT_WORKFLOW.concurrency
  if (!section?.stages) return { ...DEFAULT_WORKFLOW, concurrency }
  const stages = section.stages.map((s) => ({
    id: s.id,
    agent: s.agent,
    contract: s.contract ?? s.id,
    depends_on: s.depends_on ?? [],
    pass_when: s.pass_when,
    on_failure: s.on_failure && {
      reopen: s.on_failure.reopen,
      budget: s.on_failure.budget ?? DEFAULT_LOOP_BUDGET,
    },
  }))
  return { concurrency, stages }
}
