import * as validators from '../../generated/file-validators.js'
import { fileShape } from '../contracts/file-shape.js'
import { invalidFilesError } from '../contracts/issues-error.js'
import { readCheckedYaml } from '../contracts/shape.js'
import { scriptFileSchema } from './script-schema.js'
import type { TokenUsage } from './types.js'

/** One scripted answer: the first unused step matching agent (and stage and attempt, where given) answers. */
export interface ScriptStep {
  agent: string
  stage?: string
  /** The architecture task (TASK-n) the step answers, when a stage runs one call per task. */
  task?: string
  attempt?: number
  /** The JSON the agent answers with. */
  output?: unknown
  /** Or the text exactly as a model might return it. */
  raw?: string
  /** Or tools the model calls before it answers; the step after answers with what they returned in view. */
  tool_calls?: { name: string; arguments: unknown }[]
  usage?: TokenUsage
  delay_ms?: number
}

/** A script of the scripted provider, which makes runs reproducible without a model. */
export interface Script {
  file: string
  steps: ScriptStep[]
}

const validator = fileShape(validators.script, scriptFileSchema)

/** Reads and checks a script; every problem is reported at file:line:col as one user error. */
export async function loadScript(file: string): Promise<Script> {
  const checked = await readCheckedYaml(file, validator, 'SCRIPT_SHAPE')
  const { issues } = checked
  const steps = issues.items.length === 0 ? (checked.value as { steps: ScriptStep[] }).steps : []
  steps.forEach((step, index) => {
    const has = ['output', 'raw', 'tool_calls'].filter((key) => key in step).length
    if (has !== 1) {
      issues.add(
        'SCRIPT_SHAPE',
        `/steps/${index}`,
        `step ${index + 1} needs exactly one of output, raw or tool_calls`,
        {
          hint: 'Give the answer as output: (a JSON value) or as raw: (text as a model would write it), or list tool_calls: the model makes before answering.',
        },
      )
    }
  })
  if (issues.items.length > 0) {
    throw invalidFilesError(
      'SCRIPT_INVALID',
      `the script ${file} is invalid`,
      [{ issues: issues.items, text: checked.text }],
      'Fix the script as shown; its format is `version: 1` and a list of `steps`.',
    )
  }
  return { file, steps }
}
