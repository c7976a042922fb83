import type { Dimension } from './types.js'

/** How agents are scored and how scores become autonomy (the `evaluation:` section of macds.yaml). */
export interface EvaluationConfig {
  /** Weight of each dimension in an agent's overall score; they need not add up to 1. */
  weights: Record<Dimension, number>
  /** Multiplier of each agent's autonomy (1.0 when an agent is not listed). */
  base_levels: Record<string, number>
  /** Autonomy below `low` is supervised, above `high` trusted (see `autonomyLevel`). */
  thresholds: { low: number; high: number }
  /** Weight of the newest run in the moving average of each score, between 0 and 1. */
  smoothing: number
  /**
   * Keep the score book in memory/scores.json, for a team that commits it, rather than in
   * .macds/scores.json on this machine (the default). macds writes it after each run and never
   * commits it: commit it yourself, or the next run finds your checkout changed and leaves it alone.
   */
  shared: boolean
  /** The score, 0-100, of an agent with no history; also where every moving average starts. */
  prior: number
}

export const DEFAULT_EVALUATION: EvaluationConfig = {
  weights: { correctness: 0.35, efficiency: 0.15, compliance: 0.2, cost: 0.1, stability: 0.2 },
  base_levels: {},
  thresholds: { low: 0.4, high: 0.85 },
  smoothing: 0.3,
  shared: false,
  prior: 70,
}

const weight = { type: 'number', minimum: 0, maximum: 100 } as const
const level = { type: 'number', minimum: 0, maximum: 10 } as const

/** The JSON Schema of the `evaluation:` section of macds.yaml. */
export const evaluationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    weights: {
      type: 'object',
      additionalProperties: false,
      properties: {
        correctness: weight,
        efficiency: weight,
        compliance: weight,
        cost: weight,
        stability: weight,
      },
      description: 'weight of each score dimension in the overall score',
    },
    base_levels: {
      type: 'object',
      additionalProperties: level,
      description: 'agent id to the multiplier of its autonomy (default 1.0)',
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: { low: level, high: level },
      description: 'autonomy below low waits at a gate; above high gains documented authority',
    },
    smoothing: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'weight of the newest run in the moving average of each score',
    },
    shared: {
      type: 'boolean',
      description: 'true: memory/scores.json, committed with the team; false: .macds/scores.json, local',
    },
    prior: { type: 'number', minimum: 0, maximum: 100, description: 'the score of an agent with no history' },
  },
} as const

/** The `evaluation:` section as written in macds.yaml: every field optional. */
export interface EvaluationSection {
  weights?: Partial<Record<Dimension, number>>
  base_levels?: Record<string, number>
  thresholds?: Partial<EvaluationConfig['thresholds']>
  smoothing?: number
  shared?: boolean
  prior?: number
}

/** The `evaluation:` section with defaults filled in. */
export function evaluationOf(section: EvaluationSection | undefined): EvaluationConfig {
  const d = DEFAULT_EVALUATION
  return {
    weights: { ...d.weights, ...section?.weights },
    base_levels: { ...d.base_levels, ...section?.base_levels },
    thresholds: { ...d.thresholds, ...section?.thresholds },
    smoothing: section?.smoothing ?? d.smoothing,
    shared: section?.shared ?? d.shared,
    prior: section?.prior ?? d.prior,
  }
}

/** Problems of the section its schema cannot express, as JSON pointers into macds.yaml. */
export function evaluationProblems(
  section: EvaluationSection | undefined,
): { pointer: string; message: string; hint: string }[] {
  const config = evaluationOf(section)
  const problems: { pointer: string; message: string; hint: string }[] = []
  if (config.thresholds.low >= config.thresholds.high) {
    problems.push({
      pointer: '/evaluation/thresholds',
      message: `evaluation.thresholds.low (${config.thresholds.low}) must be below high (${config.thresholds.high})`,
      hint: 'The defaults are low: 0.4 and high: 0.85.',
    })
  }
  if (Object.values(config.weights).every((w) => w === 0)) {
    problems.push({
      pointer: '/evaluation/weights',
      message: 'evaluation.weights are all 0, so no score counts',
      hint: 'Give at least one dimension a positive weight.',
    })
  }
  return problems
}
