import type { AgentDefinition } from '../agents/types.js'
import { toMacdsError, userError } from '../errors.js'
import { listRunIds, runPaths } from '../run/paths.js'
import { autonomy, autonomyLevel, standingScores, trend, weightedAverage } from './autonomy.js'
import { hasRecorded, type ScoreBook, updateScores } from './book.js'
import { DEFAULT_EVALUATION, type EvaluationConfig } from './config.js'
import { readScoredEvents } from './read-log.js'
import type { AgentReport, Report } from './report-types.js'
import { meanByAgent, scoreVisits } from './score.js'
import { loadScores, scoresPath } from './store.js'
import { Tally } from './tally.js'
import type { RunScores, VisitScore } from './types.js'
import { collectVisits, type ScoredEvent } from './visits.js'

/** What a report needs of the project: the model aliases (for the fast model's share) and the evaluation settings. */
export interface ReportConfig {
  models: Record<string, string>
  evaluation?: EvaluationConfig
}

export interface ReportOptions {
  /** One run; all runs under .macds/runs when absent. */
  runId?: string
  agents: readonly Pick<AgentDefinition, 'id' | 'authority' | 'budgets'>[]
  config: ReportConfig
}

/**
 * Builds the report over the event logs under `<root>/.macds/runs` (one run, or all): every
 * agent's scores in those runs and its standing across runs (the score book, with the reported
 * finished runs it has not recorded folded in, in memory only), usage, violations, escalations,
 * gates and system figures. Runs whose logs cannot be read are listed under `problems`. An unknown
 * run id is RUN_UNKNOWN.
 */
export async function buildReport(root: string, options: ReportOptions): Promise<Report> {
  const evaluation = options.config.evaluation ?? DEFAULT_EVALUATION
  const known = await listRunIds(root)
  if (options.runId !== undefined && !known.includes(options.runId)) {
    const hint =
      known.length > 0
        ? `Known runs: ${known.slice(-5).join(', ')} (see \`macds status\`).`
        : 'There are no runs yet; start one with `macds run "<requirement>"`.'
    throw userError('RUN_UNKNOWN', `no run ${options.runId} in ${root}`, hint)
  }
  const ids = options.runId === undefined ? known : [options.runId]
  const { logs, problems } = await readLogs(root, ids)
  const tally = new Tally(options.config.models.fast)
  const agentIds = new Set(options.agents.map((a) => a.id))
  let book = await loadScores(root, evaluation)
  let pending = 0
  const runs: RunScores[] = []
  for (const { id, events } of logs) {
    const first = events[0]
    const workflowAgents = first?.type === 'run.started' ? first.workflow.stages.map((s) => s.agent) : []
    const visits = collectVisits(events)
    const scores = scoreVisits(id, visits, options.agents)
    runs.push(scores)
    tally.addRun(id, events, visits, new Set([...agentIds, ...workflowAgents]))
    if (events.some((e) => e.type === 'run.finished') && !hasRecorded(book, id)) {
      book = updateScores(book, scores, id, evaluation)
      pending++
    }
  }
  return {
    scope: { run_id: options.runId, runs: logs.length, first: logs[0]?.id, last: logs.at(-1)?.id },
    agents: agentReports(runs, book, options.agents, evaluation),
    ...tally.result(),
    book: { file: scoresPath(root, evaluation), pending_runs: pending },
    problems,
  }
}

/** Every agent defined, scored in the runs or held in the book: highest authority first. */
function agentReports(
  runs: readonly RunScores[],
  book: ScoreBook,
  agents: ReportOptions['agents'],
  config: EvaluationConfig,
): AgentReport[] {
  const visits: VisitScore[] = runs.flatMap((r) => r.visits)
  const means = meanByAgent(visits)
  const authority = new Map(agents.map((a) => [a.id, a.authority]))
  const ids = new Set([...agents.map((a) => a.id), ...Object.keys(means), ...Object.keys(book.agents)])
  const order = (id: string) => authority.get(id) ?? -1
  return [...ids]
    .sort((a, b) => order(b) - order(a) || a.localeCompare(b))
    .map((agent) => {
      const scores = means[agent]
      const standing = standingScores(agent, book, config)
      const history = (book.agents[agent]?.history ?? []).map((h) => h.overall)
      const value = autonomy(agent, book, config)
      return {
        agent,
        authority: authority.get(agent),
        runs: runs.filter((r) => r.agents[agent] !== undefined).length,
        visits: visits.filter((v) => v.agent === agent).length,
        scores,
        overall: scores && round(weightedAverage(scores, config.weights)),
        standing: {
          scores: standing,
          overall: round(weightedAverage(standing, config.weights)),
          runs: book.agents[agent]?.runs ?? 0,
          autonomy: Math.round(value * 1000) / 1000,
          level: autonomyLevel(value, config.thresholds),
          trend: trend(history),
          history,
        },
      }
    })
}

const round = (n: number) => Math.round(n * 10) / 10

/**
 * The logs of the runs in the order they started (run ids name the second, not the order within it),
 * and the runs whose logs could not be read.
 */
async function readLogs(
  root: string,
  ids: readonly string[],
): Promise<{ logs: { id: string; events: ScoredEvent[]; ts: string }[]; problems: Report['problems'] }> {
  const logs: { id: string; events: ScoredEvent[]; ts: string }[] = []
  const problems: Report['problems'] = []
  for (const id of ids) {
    try {
      const events = await readScoredEvents(runPaths(root, id).events)
      logs.push({ id, events, ts: events[0]?.ts ?? '' })
    } catch (error) {
      problems.push({ run_id: id, message: toMacdsError(error).message })
    }
  }
  logs.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id.localeCompare(b.id)))
  return { logs, problems }
}
