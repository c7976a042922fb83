import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentDefinition } from '../../src/core/agents/types.js'
import { DEFAULT_CONFIG } from '../../src/core/config/defaults.js'
import type { ProjectConfig } from '../../src/core/config/load.js'
import { ContractRegistry } from '../../src/core/contracts/registry.js'
import type { CompletionRequest, CompletionResult, Provider } from '../../src/core/providers/types.js'
import type { RunDeps } from '../../src/core/run/context.js'
import { resumeRun, startRun } from '../../src/core/run/driver.js'
import { readEventLog } from '../../src/core/run/event-log.js'
import { recordingWorkspace } from '../../src/core/run/workspace.js'
import type { StageSpec } from '../../src/core/workflow/types.js'
import { type GraphNode, median, medianMs } from './graphs.js'

/** The one contract every benchmark stage answers: any object in, `{ ok: boolean }` out, no rules. */
const TINY_CONTRACT = `name: tiny
version: "1.0.0"
input:
  type: object
output:
  type: object
  required: [ok]
  properties:
    ok:
      type: boolean
validation_rules: []
`

const ANSWER = '{"ok":true}'

/** A provider that answers every call with a tiny valid output, after `delayMs` (none: at once). */
export function instantProvider(delayMs = 0): Provider {
  const result = (request: CompletionRequest): CompletionResult => ({
    text: ANSWER,
    model: request.model,
    usage: { prompt_tokens: 1, completion_tokens: 1 },
    cost_usd: 0,
    mode: 'text',
    requests: 1,
  })
  return {
    name: 'scripted',
    complete: async (request) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      return result(request)
    },
  }
}

function agent(id: string): AgentDefinition {
  return {
    id,
    name: id,
    description: undefined,
    authority: 1,
    contract: 'tiny',
    model: 'fast',
    temperature: undefined,
    requires_approval: false,
    budgets: { tokens_per_run: 1_000_000_000, calls_per_stage: 100, seconds_per_call: 60, max_repairs: 0 },
    permissions: { files: { allow: [], deny: [] }, artifacts: [] },
    prompt: `You are ${id}.`,
    file: `<bench>/${id}.yaml`,
    prompt_file: undefined,
  }
}

/** A project in `dir` whose workflow is `graph`: one agent per stage, every stage on the tiny contract. */
export async function benchProject(
  dir: string,
  graph: readonly GraphNode[],
  concurrency: number,
  provider: Provider,
): Promise<RunDeps> {
  const contractsDir = join(dir, 'contracts')
  await mkdir(contractsDir, { recursive: true })
  await writeFile(join(contractsDir, 'tiny.yaml'), TINY_CONTRACT)
  const stages: StageSpec[] = graph.map((node) => ({
    id: node.id,
    agent: `agent_${node.id}`,
    contract: 'tiny',
    depends_on: node.depends_on,
  }))
  const config: ProjectConfig = {
    ...DEFAULT_CONFIG,
    provider: 'scripted',
    root: dir,
    file: undefined,
    paths: { contracts: contractsDir, agents: join(dir, 'agents') },
    workflow: { concurrency, stages },
  }
  return {
    config,
    agents: stages.map((s) => agent(s.agent)),
    contracts: await ContractRegistry.load(contractsDir),
    provider,
    workspace: recordingWorkspace(),
    wait: false,
  }
}

const OPTIONS = { provider: 'scripted', script: undefined, approve: 'auto' } as const

let runs = 0

/** Runs the workflow of `deps` to its end; throws unless every stage passed. Returns the run id. */
export async function runToEnd(deps: RunDeps): Promise<string> {
  const runId = `bench-${process.pid}-${++runs}`
  const { state } = await startRun('benchmark the run engine', OPTIONS, deps, runId)
  if (state.status !== 'passed')
    throw new Error(`the benchmark run ${runId} ended ${state.status}: ${state.message}`)
  return runId
}

/**
 * Median wall time of whole runs of `graph` (startRun to its return: opening the log, the lock, every
 * stage, the final durable flush), in milliseconds. The project lives in `dir`, removed afterwards.
 */
export async function benchEngineRun(
  dir: string,
  graph: readonly GraphNode[],
  options: { runs: number; concurrency?: number; delayMs?: number },
): Promise<{ ms: number }> {
  const deps = await benchProject(dir, graph, options.concurrency ?? 4, instantProvider(options.delayMs))
  try {
    return { ms: await medianMs(() => runToEnd(deps), options.runs) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * `resumeRun` of a finished run of `graph` (it reads and folds the log, then returns), median of
 * `runs` in milliseconds; and reading the same log alone, for comparison.
 */
export async function benchResume(
  dir: string,
  graph: readonly GraphNode[],
  runs: number,
): Promise<{ resumeMs: number; readMs: number; events: number }> {
  const deps = await benchProject(dir, graph, 4, instantProvider())
  try {
    const runId = await runToEnd(deps)
    const file = join(dir, '.macds', 'runs', runId, 'events.jsonl')
    const { events } = await readEventLog(file)
    const resumeTimes: number[] = []
    const readTimes: number[] = []
    for (let i = 0; i < runs + 1; i++) {
      let start = performance.now()
      const { state } = await resumeRun(runId, deps)
      const resumeMs = performance.now() - start
      if (state.status !== 'passed') throw new Error(`the resumed run ended ${state.status}`)
      start = performance.now()
      await readEventLog(file)
      const readMs = performance.now() - start
      if (i === 0) continue // warm-up
      resumeTimes.push(resumeMs)
      readTimes.push(readMs)
    }
    return { resumeMs: median(resumeTimes), readMs: median(readTimes), events: events.length }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
