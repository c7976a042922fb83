import { DEFAULT_READ_ALLOW, DEFAULT_READ_DENY } from '../tools/policy.js'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { ProjectConfig } from '../config/load.js'
import * as validators from '../../generated/file-validators.js'
import { fileShape } from '../contracts/file-shape.js'
import type { IssueList } from '../contracts/issues.js'
import { type FileIssues, invalidFilesError } from '../contracts/issues-error.js'
import { contractNameOf, listContractFiles } from '../contracts/files.js'
import { type CheckedFile, readCheckedYaml } from '../contracts/shape.js'
import { userError } from '../errors.js'
import { agentFileSchema } from './schema.js'
import { type AgentDefinition, DEFAULT_BUDGETS } from './types.js'

/** Agents whose definitions are valid, and the issues of those that are not. */
export interface AgentsLoad {
  agents: AgentDefinition[]
  problems: (FileIssues & { file: string })[]
}

const validator = fileShape(validators.agent, agentFileSchema)

/**
 * Reads every agents/<id>.yaml of the configured directory and checks it on its own (shape, id
 * against the file name, the prompt) and against the rest of the project (the contract exists, the
 * model alias is configured, no artifact has two owners). Invalid files become issues, never throws
 * for them.
 */
export async function readAgents(config: ProjectConfig): Promise<AgentsLoad> {
  const dir = config.paths.agents
  const files = await agentFiles(dir)
  const contracts = new Set((await listContractFiles(config.paths.contracts)).map(contractNameOf))
  const checked = await Promise.all(files.map((file) => readCheckedYaml(file, validator, 'AGENT_SHAPE')))
  const owners = new Map<string, string>()
  const agents: AgentDefinition[] = []
  const problems: AgentsLoad['problems'] = []
  for (const file of checked) {
    const agent = file.issues.items.length === 0 ? await toDefinition(file, config, contracts) : undefined
    if (agent) checkOwnership(agent, owners, file.issues)
    if (agent && file.issues.items.length === 0) agents.push(agent)
    else problems.push({ file: file.file, issues: file.issues.items, text: file.text })
  }
  return { agents: agents.sort((a, b) => b.authority - a.authority || a.id.localeCompare(b.id)), problems }
}

/** Like `readAgents`, but any invalid definition is a user error listing every issue. */
export async function loadAgents(config: ProjectConfig): Promise<AgentDefinition[]> {
  const { agents, problems } = await readAgents(config)
  if (problems.length > 0) {
    throw invalidFilesError(
      'AGENTS_INVALID',
      `agent definitions in ${config.paths.agents} are invalid`,
      problems,
      'Fix the files as shown; `macds agents list` shows them again.',
    )
  }
  return agents
}

/** The server model name an agent calls: its per-agent override or its alias, resolved through `models`. */
export function modelOf(agent: AgentDefinition, config: ProjectConfig): string {
  const chosen = config.agent_models[agent.id] ?? agent.model
  return config.models[chosen] ?? chosen
}

async function agentFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) {
    throw userError(
      'AGENTS_DIR_MISSING',
      `no agents directory at ${dir}`,
      'Run `macds init` to create the default agents, or set paths.agents in macds.yaml.',
    )
  }
  const names = await readdir(dir)
  return names
    .filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n))
}

async function toDefinition(
  checked: CheckedFile,
  config: ProjectConfig,
  contracts: ReadonlySet<string>,
): Promise<AgentDefinition | undefined> {
  const raw = checked.value as Omit<AgentDefinition, 'file' | 'prompt_file'> & Record<string, never>
  const { issues } = checked
  const stem = basename(checked.file, extname(checked.file))
  if (raw.id !== stem) {
    issues.add(
      'NAME_MISMATCH',
      '/id',
      `agent id '${raw.id}' does not match the file name '${basename(checked.file)}'`,
      {
        hint: `Rename the file to ${raw.id}.yaml or set id: ${stem}`,
      },
    )
  }
  if (!contracts.has(raw.contract)) {
    const known = [...contracts].sort().join(', ') || 'none'
    issues.add('UNKNOWN_CONTRACT', '/contract', `no contract named '${raw.contract}'`, {
      hint: `Use one of: ${known}; or add ${raw.contract}.yaml to ${config.paths.contracts}.`,
    })
  }
  if (!(raw.model in config.models)) {
    issues.add('UNKNOWN_MODEL', '/model', `model alias '${raw.model}' is not configured`, {
      hint: `Use one of: ${Object.keys(config.models).join(', ')}; or add it under models: in macds.yaml.`,
    })
  }
  const prompt = await promptOf(checked, raw.prompt, issues)
  if (prompt === undefined) return undefined
  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    authority: raw.authority,
    contract: raw.contract,
    model: raw.model,
    temperature: raw.temperature,
    requires_approval: raw.requires_approval ?? false,
    budgets: { ...DEFAULT_BUDGETS, ...raw.budgets },
    permissions: {
      files: { allow: raw.permissions?.files?.allow ?? [], deny: raw.permissions?.files?.deny ?? [] },
      read: {
        allow: raw.permissions?.read?.allow ?? [...DEFAULT_READ_ALLOW],
        deny: [...DEFAULT_READ_DENY, ...(raw.permissions?.read?.deny ?? [])],
      },
      artifacts: raw.permissions?.artifacts ?? [],
    },
    prompt: prompt.text,
    file: checked.file,
    prompt_file: prompt.file,
  }
}

/** The role text: inline `prompt:`, or agents/<id>.md beside the file; exactly one of them. */
async function promptOf(
  checked: CheckedFile,
  inline: string | undefined,
  issues: IssueList,
): Promise<{ text: string; file: string | undefined } | undefined> {
  const mdFile = checked.file.replace(/\.ya?ml$/, '.md')
  const md = existsSync(mdFile) ? (await readFile(mdFile, 'utf8')).trim() : undefined
  if (inline !== undefined && md !== undefined) {
    issues.add('AGENT_PROMPT', '/prompt', `the prompt is given twice: here and in ${basename(mdFile)}`, {
      hint: `Keep one of them: remove prompt: here or delete ${basename(mdFile)}.`,
    })
    return undefined
  }
  if (inline !== undefined) return { text: inline.trim(), file: undefined }
  if (md) return { text: md, file: mdFile }
  issues.add('AGENT_PROMPT', '', 'the agent has no prompt', {
    hint: `Add prompt: with the role text, or write it to ${basename(mdFile)} beside this file.`,
  })
  return undefined
}

function checkOwnership(agent: AgentDefinition, owners: Map<string, string>, issues: IssueList): void {
  agent.permissions.artifacts.forEach((artifact, index) => {
    const owner = owners.get(artifact)
    if (owner === undefined) owners.set(artifact, agent.id)
    else {
      issues.add(
        'AGENT_SHAPE',
        `/permissions/artifacts/${index}`,
        `${artifact} is already owned by ${owner}`,
        {
          hint: 'Each artifact has exactly one owner: remove it from one of the two agents.',
        },
      )
    }
  })
}
