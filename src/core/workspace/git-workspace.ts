import { join, relative } from 'node:path'
import { artifactName, checkContent, createArtifactStore } from '../artifacts/index.js'
import { MacdsError } from '../errors.js'
import { oneAtATime } from '../one-at-a-time.js'
import type { ProjectConfig } from '../config/load.js'
import { applyChangeSet } from '../changeset/apply.js'
import { checkChangeSet } from '../changeset/guard.js'
import { commit, deleteBranch, git, mergeBase, removeWorktree, revParse } from '../git/index.js'
import { commandLine, flakySteps, runPipeline } from '../pipeline/index.js'
import { runPaths } from '../run/paths.js'
import { type ChangeSet, changeSetId, type Workspace, type WorkspaceInfo } from '../run/workspace.js'
import type { Redactor } from '../secrets.js'
import { catchUpWithTarget, integrateRun } from './integration.js'
import { artifactWrites, trustedGuard, versionOf } from './rules.js'
import { changedSince, head, trackedChanges } from './tree-state.js'

/** How much of a ChangeSet's diff is kept in the event log and shown to the reviewer. */
const DIFF_CHARS = 60_000

/**
 * A run's workspace in git: effects are applied in the run's worktree and committed on its branch,
 * each in its author's name; the pipeline runs there; integration moves the target at the end.
 */
export async function gitWorkspace(
  config: ProjectConfig,
  runId: string,
  info: WorkspaceInfo,
  options: { redact?: Redactor; owners: Record<string, string> },
): Promise<Workspace> {
  const repo = (await git(config.root, ['rev-parse', '--show-toplevel'])).trim()
  // macds.yaml may sit below the repository's top: the worktree's matching directory is the root.
  const root = join(info.worktree, relative(repo, config.root))
  const logs = join(runPaths(config.root, runId).dir, 'pipeline')
  const trailers = (agent: string, stage: string) => ({
    'Macds-Run': runId,
    'Macds-Agent': agent,
    'Macds-Stage': stage,
  })
  const artifacts = createArtifactStore({
    cwd: info.worktree,
    owners: options.owners,
    dir: join(relative(info.worktree, root), 'artifacts'),
  })
  // Git's index is shared by everything that commits in the worktree: one change at a time.
  const serial = oneAtATime()
  let pipelineRuns = 0
  let validated: string | undefined
  let flaky: string[] = []

  /**
   * Runs the pipeline on the worktree. What the format step rewrote is committed, so that the commit
   * that may land is the tree that was validated.
   */
  const validate = async (signal?: AbortSignal) => {
    const changed = validated ? await changedSince(info.worktree, validated) : 'all'
    const report = await runPipeline(config.pipeline, {
      signal,
      cwd: root,
      changed,
      logDir: join(logs, String(++pipelineRuns)),
      redact: options.redact,
      flakyBefore: flaky,
    })
    flaky = flakySteps(report)
    const rewrote = report.results.find((r) => r.name === 'format')?.rewrote ?? []
    const formatted =
      rewrote.length === 0
        ? undefined
        : await commit(info.worktree, {
            message: 'Apply the formatter',
            author: { name: 'macds pipeline', email: 'pipeline@macds.invalid' },
            trailers: trailers('pipeline', 'build_test'),
            paths: await trackedChanges(info.worktree, rewrote),
          })
    if (report.passed) validated = await head(info.worktree)
    const results = report.results.map(({ log: _log, ...result }) => result)
    return {
      passed: report.passed,
      pipeline: report.pipeline,
      results,
      ...(formatted ? { commit: formatted } : {}),
    }
  }

  const workspace: Workspace = {
    root,
    info,
    pipeline: config.pipeline.steps.map((step) => ({ name: step.name, command: commandLine(step) })),
    async checkChangeSet(changeset, agent, trusted = false) {
      const { allow, deny } = agent.permissions.files
      const guard = trusted ? trustedGuard(config.guard) : config.guard
      const checked = await checkChangeSet(changeset, { root, allow, deny, guard })
      return { ...checked, violations: [...checked.violations, ...artifactWrites(changeset)] }
    },
    applyChangeSet: (changeset: ChangeSet, by) =>
      serial(async () => {
        const id = changeSetId(changeset)
        const base = await head(info.worktree)
        const applied = await applyChangeSet(root, changeset)
        const paths = [...applied.written, ...applied.deleted].map((p) =>
          relative(info.worktree, join(root, p)),
        )
        const made = await commit(info.worktree, {
          message: `${id}: ${changeset.intent}`,
          author: { name: `macds ${by.agent}`, email: `${by.agent}@macds.invalid` },
          trailers: { ...trailers(by.agent, by.stage), 'Macds-ChangeSet': id },
          paths,
        })
        const commitId = made ?? base
        // A ChangeSet resubmitted as it was changes nothing: its review sees the commit that applied it.
        const shown = made ?? (await changeSetCommit(info.worktree, id))
        const diff = shown ? await git(info.worktree, ['show', '--format=', '--no-color', shown]) : ''
        return { id, base, commit: commitId, diff: diff.slice(0, DIFF_CHARS) }
      }),
    commitFiles: (paths, message, by) =>
      serial(async () => {
        const author = { name: `macds ${by.agent}`, email: `${by.agent}@macds.invalid` }
        const files = paths.map((p) => relative(info.worktree, join(root, p)))
        // Shared memory files are committed because the policy says so, even where .gitignore ignores them.
        return commit(info.worktree, {
          message,
          author,
          trailers: trailers(by.agent, by.stage),
          paths: files,
          force: true,
        })
      }),
    async checkArtifact(name, content) {
      const previous = await artifacts.read(name)
      try {
        checkContent(artifactName(name), versionOf(name, content, previous), previous)
        return undefined
      } catch (error) {
        return error instanceof MacdsError ? `${error.message}. ${error.hint ?? ''}`.trim() : String(error)
      }
    },
    writeArtifact: (name, content, by) =>
      serial(async () => {
        const text = versionOf(name, content, await artifacts.read(name))
        return (await artifacts.write({ name, content: text, agent: by.agent, run: runId, stage: by.stage }))
          ?.commit
      }),
    runPipeline: (signal) => serial(() => validate(signal)),
    branches: (signal) =>
      serial(async () => {
        const target_tip = (await revParse(repo, `refs/heads/${info.target}`)) ?? info.base
        const revalidate = async () => (await validate(signal)).passed
        const caught = await catchUpWithTarget(info, target_tip, revalidate)
        const run_tip = await head(info.worktree)
        const merge_base = (await mergeBase(info.worktree, target_tip, run_tip)) ?? info.base
        const facts = { target_branch: info.target, target_tip, run_branch: info.branch, run_tip, merge_base }
        return { ...facts, ...caught }
      }),
    async integrate({ merge, previous, planned, signal }) {
      return integrateRun({
        signal,
        repo,
        info,
        runId,
        strategy: config.integration.strategy,
        merge,
        previous,
        planned,
        revalidate: async () => (await serial(() => validate(signal))).passed,
      })
    },
    async close({ status, merged, keep }) {
      await removeWorktree(repo, info.worktree)
      if (merged || (status !== 'passed' && !keep)) await deleteBranch(repo, info.branch)
    },
  }
  return workspace
}

/** The last commit of the worktree's branch that applied the ChangeSet `id`, if there is one. */
async function changeSetCommit(worktree: string, id: string): Promise<string | undefined> {
  const grep = `--grep=Macds-ChangeSet: ${id}`
  return (await git(worktree, ['log', '-1', '--format=%H', '--fixed-strings', grep])).trim() || undefined
}
