import { MacdsError } from '../errors.js'
import { advanceBranch, asCommitter, git, mergeBase, mergeInto, revParse } from '../git/index.js'
import type { IntegrationOutcome, IntegrationPlan, WorkspaceInfo } from '../run/workspace.js'
import { withRepositoryLock } from './repository-lock.js'
import { head } from './tree-state.js'

const INTEGRATOR = { name: 'macds integrator', email: 'integrator@macds.invalid' }
/** Times the target may move under a run before it gives up (each move means merge and validate again). */
const ATTEMPTS = 3

export interface IntegrationSteps {
  /** The repository's top directory (where the target lives). */
  repo: string
  info: WorkspaceInfo
  runId: string
  strategy: 'commits' | 'squash'
  merge: boolean
  previous: IntegrationPlan | undefined
  /** Runs the pipeline again after the target was merged into the run branch. */
  revalidate: () => Promise<boolean>
  /** Stops the wait for another run's integration (a cancelled run). */
  signal?: AbortSignal
  planned: (plan: IntegrationPlan) => Promise<void>
}

/**
 * Moves the target branch to the validated run branch, one run at a time per repository: the target
 * is merged into the run branch first when it moved (a conflict or a failing pipeline leaves it
 * alone), the move is announced through `planned`, then made by compare-and-swap. A target that moves
 * again meanwhile is merged again, a few times at most. A move announced by an earlier process is
 * recognised: the target already there is merged, the target still at its old tip is moved.
 */
export async function integrateRun(steps: IntegrationSteps): Promise<IntegrationOutcome> {
  const { info, repo } = steps
  if (!steps.merge)
    return {
      status: 'kept',
      message: `the run branch ${info.branch} passed validation and was not merged (--no-merge); merge it with: git merge --ff-only ${info.branch}`,
    }
  return withRepositoryLock(
    repo,
    async () => {
      const previous = steps.previous
      if (previous) {
        const tip = await targetTip(repo, info.target)
        if (tip === previous.to) return merged(previous)
        const moved = tip === previous.from ? await advance(steps, previous) : undefined
        if (moved) return moved
      }
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const from = await targetTip(repo, info.target)
        const outcome = await catchUp(steps, from)
        if (outcome) return outcome
        const runTip = await head(info.worktree)
        const to = steps.strategy === 'squash' ? await squash(steps, from, runTip) : runTip
        const plan: IntegrationPlan = { target: info.target, from, to, strategy: steps.strategy }
        await steps.planned(plan)
        const result = await advance(steps, plan)
        if (result) return result
      }
      return {
        status: 'failed',
        message: `${info.target} kept moving while the run integrated; ${info.branch} is kept, merge it by hand`,
      }
    },
    steps.signal,
  )
}

/** Merges a target that moved into the run branch and validates again; an outcome when that fails. */
async function catchUp(steps: IntegrationSteps, from: string): Promise<IntegrationOutcome | undefined> {
  const { info } = steps
  const caught = await catchUpWithTarget(info, from, steps.revalidate)
  if (caught.conflicting_paths)
    return {
      status: 'failed',
      message: `${info.target} moved and conflicts with the run in ${caught.conflicting_paths.join(', ')}; ${info.branch} is kept for a manual merge`,
    }
  if (caught.pipeline_passed === false)
    return {
      status: 'failed',
      message: `after merging the new commits of ${info.target}, the pipeline fails; ${info.branch} is kept and ${info.target} is unchanged`,
    }
  return undefined
}

/**
 * Merges the target into the run branch when it moved since the run branched, and runs the pipeline
 * again: what the integrator judges is then the commit that would land. Conflicts undo the merge.
 */
export async function catchUpWithTarget(
  info: WorkspaceInfo,
  targetTip: string,
  revalidate: () => Promise<boolean>,
): Promise<{ pipeline_passed?: boolean; conflicting_paths?: string[] }> {
  if ((await mergeBase(info.worktree, targetTip, 'HEAD')) === targetTip) return {}
  const result = await mergeInto(info.worktree, targetTip, `Merge ${info.target} into ${info.branch}`)
  if (!result.ok) return { conflicting_paths: result.conflicts }
  return { pipeline_passed: await revalidate() }
}

/** One commit on top of the target with the run branch's tree, for `integration.strategy: squash`. */
async function squash(steps: IntegrationSteps, from: string, runTip: string): Promise<string> {
  const message = `macds run ${steps.runId}\n\nMacds-Run: ${steps.runId}\n`
  const out = await git(steps.info.worktree, [
    ...asCommitter(INTEGRATOR),
    'commit-tree',
    `${runTip}^{tree}`,
    '-p',
    from,
    '-m',
    message,
  ])
  return out.trim()
}

/** Makes the move; undefined when the target moved meanwhile (the caller tries again). */
async function advance(
  steps: IntegrationSteps,
  plan: IntegrationPlan,
): Promise<IntegrationOutcome | undefined> {
  try {
    await advanceBranch(steps.repo, plan.target, plan.to, plan.from)
    return merged(plan)
  } catch (error) {
    if (!(error instanceof MacdsError)) throw error
    if (error.code === 'GIT_REF_MOVED') return undefined
    if (error.code === 'GIT_TARGET_DIRTY')
      return { status: 'kept', message: `${error.message}. ${error.hint ?? ''}`.trim() }
    throw error
  }
}

function merged(plan: IntegrationPlan): IntegrationOutcome {
  return {
    status: 'merged',
    plan,
    message: `${plan.target} moved to ${plan.to.slice(0, 12)}, which passed validation`,
  }
}

async function targetTip(repo: string, target: string): Promise<string> {
  const tip = await revParse(repo, `refs/heads/${target}`)
  if (!tip)
    throw new MacdsError('TARGET_NOT_FOUND', `the target branch ${target} no longer exists`, {
      kind: 'user',
      hint: `Re-create ${target}, or merge the run branch by hand.`,
    })
  return tip
}
