/** The five dimensions an agent is scored on, each 0-100 (see score.ts for their definitions). */
export const DIMENSIONS = ['correctness', 'efficiency', 'compliance', 'cost', 'stability'] as const
export type Dimension = (typeof DIMENSIONS)[number]

/** A score per dimension, each 0-100. */
export type Scores = Record<Dimension, number>

/** What one agent did in one stage visit (and one architecture task, when the stage ran per task). */
export interface VisitScore {
  agent: string
  stage: string
  visit: number
  task?: string
  scores: Scores
  /** Model calls made (tool rounds included), attempts (1 + repairs), tokens and cost. */
  calls: number
  attempts: number
  tokens: number
  cost_usd: number
  /** How the agent's work ended: an output its contract accepted, or giving up (violations, budget). */
  outcome: 'accepted' | 'failed'
}

/** The scores of one run: per visit, and per agent (the mean of its visits). */
export interface RunScores {
  run_id: string
  visits: VisitScore[]
  agents: Record<string, Scores>
}
