import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentDefinition } from '../../src/core/agents/types.js'
import { DEFAULT_CONFIG } from '../../src/core/config/defaults.js'
import type { ProjectConfig } from '../../src/core/config/load.js'
import { ContractRegistry } from '../../src/core/contracts/registry.js'
import type { CompletionRequest, CompletionResult, Provider } from '../../src/core/providers/types.js'
import type { RunDeps } from '../../src/core/run/context.js'
import { recordingWorkspace } from '../../src/core/run/workspace.js'
import type { StageSpec } from '../../src/core/workflow/types.js'
import { agentDefinition } from './agent-definition.js'

/** A node of a workflow graph and the nodes it waits for. */
export interface GraphNode {
  id: string
  depends_on: string[]
}

/** The one contract every stage of a tiny project answers: any object in, `{ ok: boolean }` out, no rules. */
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
  return agentDefinition({
    id,
    name: id,
    authority: 1,
    contract: 'tiny',
    temperature: undefined,
    budgets: {
      tokens_per_run: 1_000_000_000,
      calls_per_stage: 100,
      seconds_per_call: 60,
      max_repairs: 0,
      context_tokens: 0,
    },
    prompt: `You are ${id}.`,
    file: `<tiny>/${id}.yaml`,
  })
}

/** A project in `dir` whose workflow is `graph`: one agent per stage, every stage on the tiny contract. */
export async function tinyProject(
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
    workspace: recordingWorkspace(dir),
    wait: false,
  }
}
