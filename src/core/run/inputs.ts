import type { Conflict, FailureContext } from './events.js'
import type { BranchFacts, ChangeSet, PipelineResult } from './workspace.js'

type Json = Record<string, unknown>

/** The shipped contracts whose inputs buildInput assembles field by field. */
export const ASSEMBLED_CONTRACTS: ReadonlySet<string> = new Set([
  'requirements',
  'architecture',
  'implementation',
  'infra',
  'review',
  'build_test',
  'integration',
  'final_approval',
])

/** Everything a stage input is assembled from. Outputs are keyed by contract name. */
export interface InputFacts {
  run_id: string
  requirement: string
  repository: string
  /** Memory notes recalled for the stage (the requirements input shows them). */
  memory?: { scope: string; text: string; strength: number }[]
  outputs: Record<string, unknown>
  /** Contracts whose stage passed: by its own verdict, or overruled by a ruling. */
  passed: ReadonlySet<string>
  context: FailureContext | undefined
  /** The latest ChangeSet of each stage that made one, and the one under review (implementation's). */
  changesets: { stage: string; id: string; intent: string; changeset: ChangeSet }[]
  implementation: { id: string; changeset: ChangeSet } | undefined
  diff: string
  commit: string
  pipeline: { pipeline: { name: string; command: string[] }[]; results: PipelineResult[] } | undefined
  branches: BranchFacts | undefined
}

/**
 * The input of a stage whose contract is `contract`, assembled from upstream outputs and the run's
 * facts. Contracts macds does not know get the requirement and the outputs of the stage's direct
 * dependencies, by stage id.
 */
export function buildInput(contract: string, facts: InputFacts): Json {
  const { run_id, requirement } = facts
  const out = (name: string) => (facts.outputs[name] ?? {}) as Json
  const withContext = (input: Json) => (facts.context ? { ...input, failure_context: facts.context } : input)
  const { implementation } = facts
  switch (contract) {
    case 'requirements':
      return { run_id, requirement, repository: { name: facts.repository }, memory: facts.memory ?? [] }
    case 'architecture':
      return withContext({
        run_id,
        requirement,
        requirements: pick(out('requirements'), ['requirements', 'risks']),
      })
    case 'implementation':
      return withContext({
        run_id,
        requirement,
        requirements: pick(out('requirements'), ['requirements']),
        architecture: pick(out('architecture'), ['components', 'invariants']),
      })
    case 'infra':
      return {
        run_id,
        requirement,
        requirements: pick(out('requirements'), ['requirements']),
        architecture: pick(out('architecture'), ['components', 'decisions']),
        pipeline: facts.pipeline?.pipeline ?? [],
      }
    case 'review':
      return {
        run_id,
        requirement,
        requirements: pick(out('requirements'), ['requirements']),
        architecture: pick(out('architecture'), ['components', 'invariants']),
        ...(implementation ? { changeset_id: implementation.id, changeset: implementation.changeset } : {}),
        diff: facts.diff,
      }
    case 'build_test':
      return {
        run_id,
        changeset_id: implementation?.id ?? 'none',
        commit: facts.commit,
        pipeline: facts.pipeline?.pipeline ?? [],
        results: facts.pipeline?.results ?? [],
      }
    case 'integration':
      return {
        run_id,
        ...facts.branches,
        pipeline_passed: facts.branches?.pipeline_passed ?? (out('build_test').verdict ?? '') === 'pass',
        checks: [
          { name: 'review', passed: facts.passed.has('review') },
          { name: 'build_test', passed: facts.passed.has('build_test') },
        ],
        changesets: facts.changesets.map(({ id, intent }) => ({ id, intent })),
      }
    case 'final_approval':
      return {
        run_id,
        requirement,
        requirements: pick(out('requirements'), ['requirements']),
        architecture: pick(out('architecture'), ['invariants', 'components']),
        changesets: facts.changesets.map(({ id, intent, changeset }) => ({
          id,
          intent,
          files: changeset.files.map(({ path, action }) => ({ path, action })),
        })),
        review: effectiveReview(out('review'), facts.passed.has('review')),
        build_test: pick(out('build_test'), ['verdict', 'steps']),
        integration: pick(out('integration'), ['action', 'strategy', 'summary']),
        diff: facts.diff,
      }
    default:
      return withContext({ run_id, requirement, upstream: facts.outputs })
  }
}

/** The input of the escalation contract. */
export function escalationInput(
  run_id: string,
  conflict: Conflict,
  arbiter: { agent: string; authority: number },
): Json {
  return { run_id, conflict, arbiter }
}

/**
 * The review as final approval weighs it: a review that an escalation ruling overruled counts as
 * approved, and says so. (A failed pipeline is never overruled this way: build_test keeps its verdict.)
 */
function effectiveReview(review: Json, passed: boolean): Json {
  const { verdict, summary } = review
  if (!passed || verdict === 'approve') return pick(review, ['verdict', 'summary'])
  return {
    verdict: 'approve',
    summary: `The reviewer's ${String(verdict)} was overruled by an escalation ruling. Reviewer: ${String(summary ?? '')}`,
  }
}

function pick(value: Json, keys: string[]): Json {
  const picked: Json = {}
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key]
  return picked
}
