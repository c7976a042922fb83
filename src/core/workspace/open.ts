import type { AgentDefinition } from '../agents/types.js'
import type { ProjectConfig } from '../config/load.js'
import { userError } from '../errors.js'
import { gitTry } from '../git/index.js'
import { recordingWorkspace, type Workspace, type WorkspaceInfo } from '../run/workspace.js'
import type { Redactor } from '../secrets.js'
import { gitWorkspace } from './git-workspace.js'
import { createWorktree, restoreWorktree } from './worktree.js'

/** Where a run works: a new worktree branched from a target, or the worktree a resumed run recorded. */
export type Placement = { target?: string } | { resume: WorkspaceInfo | undefined; at: string | undefined }

/**
 * The workspace of a run. In a git repository, a new run gets its own branch and worktree, and a
 * resumed run gets back the one it recorded; outside git (or for a run that recorded none), effects
 * are only recorded. A git workspace needs pipeline commands: nothing could be validated otherwise.
 */
export async function openWorkspace(
  config: ProjectConfig,
  runId: string,
  place: Placement,
  options: { agents: readonly AgentDefinition[]; redact?: Redactor },
): Promise<Workspace> {
  const owners = artifactOwners(options.agents)
  if ('resume' in place) {
    const info = place.resume
    if (!info) return recordingWorkspace(config.root)
    await restoreWorktree(config.root, info, place.at ?? info.base)
    return gitWorkspace(config, runId, info, { redact: options.redact, owners })
  }
  if (!(await insideGit(config.root))) return recordingWorkspace(config.root)
  if (config.pipeline.steps.length === 0)
    throw userError(
      'PIPELINE_MISSING',
      'macds.yaml configures no pipeline commands, so no change could be validated before it is merged',
      'Run `macds init --force` to detect them, or add to macds.yaml: pipeline: { test: { command: [npm, test] } }',
    )
  const info = await createWorktree(config, runId, place.target)
  return gitWorkspace(config, runId, info, { redact: options.redact, owners })
}

/** Artifact name to the id of the agent that owns it. */
function artifactOwners(agents: readonly AgentDefinition[]): Record<string, string> {
  const owners: Record<string, string> = {}
  for (const agent of agents)
    for (const name of agent.permissions.artifacts as string[]) owners[name] = agent.id
  return owners
}

async function insideGit(dir: string): Promise<boolean> {
  return (await gitTry(dir, ['rev-parse', '--is-inside-work-tree'])).stdout.trim() === 'true'
}
