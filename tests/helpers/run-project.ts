import type { ScriptStep } from '../../src/core/providers/script.js'
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { repoRoot } from './cli.js'
import { tempDir } from './temp.js'

type Json = Record<string, unknown>

/** The valid output of a shipped contract's fixture. */
export async function fixtureOutput(contract: string): Promise<Json> {
  const text = await readFile(join(repoRoot, 'tests/fixtures/contracts', `${contract}.valid.yaml`), 'utf8')
  return (parse(text) as { output: Json }).output
}

/** A scripted step. */
export type Step = ScriptStep

/** Outputs of each stage for a run that passes everything, drawn from the fixtures. */
export async function passingOutputs(): Promise<Record<string, Json>> {
  const names = [
    'requirements',
    'architecture',
    'implementation',
    'infra',
    'review',
    'integration',
    'final_approval',
  ]
  const outputs: Record<string, Json> = {}
  for (const name of names) outputs[name] = await fixtureOutput(name)
  outputs.build_test = buildTest('pass')
  // One implementation call per run: the fixture's four tasks would each ask for one.
  delete outputs.architecture?.tasks
  return outputs
}

/** A build_test answer about the one step a recording workspace reports. */
export function buildTest(verdict: 'pass' | 'fail'): Json {
  const passed = verdict === 'pass'
  return {
    verdict,
    steps: [{ name: 'recorded', passed, summary: passed ? 'nothing to run' : 'judged failing' }],
    failing_tests: passed
      ? []
      : [{ name: 'login throttles the sixth attempt', message: 'expected 429, got 200' }],
    ...(passed
      ? {}
      : { diagnosis: 'The limiter is never consulted by the login route in src/routes/login.ts.' }),
  }
}

export const STAGE_AGENTS: Record<string, string> = {
  requirements: 'product',
  architecture: 'architect',
  implementation: 'implementation',
  infra: 'infra',
  review: 'reviewer',
  build_test: 'buildtest',
  integration: 'integrator',
  final_approval: 'architect',
}

/** One step per stage, answering with `outputs[stage]`. */
export function stepsFor(
  outputs: Record<string, Json>,
  stages = Object.keys(STAGE_AGENTS),
  extra: Partial<Step> = {},
): Step[] {
  return stages.map((stage) => ({
    agent: STAGE_AGENTS[stage] ?? stage,
    stage,
    output: outputs[stage],
    ...extra,
  }))
}

/** A repository with the shipped contracts and agents and the given script; returns its root. */
export async function runProject(steps: Step[], edit?: (root: string) => Promise<void>): Promise<string> {
  const root = await tempDir('macds-run-')
  await cp(join(repoRoot, 'contracts'), join(root, 'contracts'), { recursive: true })
  await cp(join(repoRoot, 'agents'), join(root, 'agents'), { recursive: true })
  await writeFile(join(root, 'script.yaml'), stringify({ version: 1, steps }))
  await writeFile(join(root, 'macds.yaml'), 'version: 1\nprovider: scripted\nscript: script.yaml\n')
  await edit?.(root)
  return root
}

/** Sets `requires_approval: true` on an agent of a project made by runProject. */
export async function requireApproval(root: string, agent: string): Promise<void> {
  const file = join(root, 'agents', `${agent}.yaml`)
  await writeFile(file, `${await readFile(file, 'utf8')}requires_approval: true\n`)
}

/** The events of a run's log. */
export async function runEvents(root: string, runId: string): Promise<(Json & { type: string })[]> {
  const text = await readFile(join(root, '.macds', 'runs', runId, 'events.jsonl'), 'utf8')
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json & { type: string })
}

/** The id of the run a `macds run` printed. */
export function runIdOf(stdout: string): string {
  const match = /run (r-\d{8}-\d{6}-[0-9a-f]{4})/.exec(stdout)
  if (!match?.[1]) throw new Error(`no run id in:\n${stdout}`)
  return match[1]
}

/** A valid review that requests changes: one major comment on the route. */
export function requestChanges(review: Record<string, unknown>) {
  const [first, ...rest] = review.comments as Record<string, unknown>[]
  return {
    ...review,
    verdict: 'request_changes',
    summary: 'The limiter is not wired into the route yet.',
    comments: [
      { ...first, severity: 'major', message: 'limiter.check() is never called before the password check' },
      ...rest,
    ],
  }
}
