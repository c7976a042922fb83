/**
 * Agent evaluation: scores each agent visit of a run from its event log (correctness, efficiency,
 * compliance, cost, stability), keeps moving averages across runs in a score book, turns them into
 * autonomy levels, and builds the report of `macds report`.
 */
export {
  agentStanding,
  type AutonomyLevel,
  autonomy,
  autonomyLevel,
  standingScores,
  trend,
  weightedAverage,
} from './autonomy.js'
export { type AgentStanding, type ScoreBook, emptyBook, hasRecorded, updateScores } from './book.js'
export {
  DEFAULT_EVALUATION,
  type EvaluationConfig,
  type EvaluationSection,
  evaluationOf,
  evaluationProblems,
  evaluationSchema,
} from './config.js'
export { readScoredEvents } from './read-log.js'
export { buildReport, type ReportConfig, type ReportOptions } from './report.js'
export type * from './report-types.js'
export {
  complianceScore,
  correctnessScore,
  costScore,
  efficiencyScore,
  scoreRun,
  scoreVisit,
  stabilityScore,
} from './score.js'
export { loadScores, recordRunScores, saveScores, scoresPath } from './store.js'
export { DIMENSIONS, type Dimension, type RunScores, type Scores, type VisitScore } from './types.js'
export { EVIDENCE, type ScoredEvent, collectVisits } from './visits.js'
