import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createArtifactStore } from '../../src/core/artifacts/index.js'
import { addWorktree, mergeFfOnly, removeWorktree } from '../../src/core/git/index.js'

const run = promisify(execFile)
const IDENTITY = ['-c', 'user.name=bench', '-c', 'user.email=bench@macds.invalid']

/** Plain git as a script would call it. */
async function plain(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd })).stdout
}

/** A repository of `files` small files on branch main, with one commit. */
function makeRepo(dir: string, files: number): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '--quiet', '--initial-branch=main')
  mkdirSync(join(dir, 'src'))
  for (let i = 0; i < files; i++)
    writeFileSync(join(dir, 'src', `module-${i}.ts`), `export const value${i} = ${i}\n`.repeat(40))
  writeFileSync(join(dir, '.gitignore'), '/wt-*/\n/target-*/\n/.wt/\n')
  git('add', '--all')
  git(...IDENTITY, 'commit', '--quiet', '--message', 'Initial commit')
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/**
 * Runs `a` and `b` alternately (ABAB…, after two warm-up rounds). Returns their median times and the
 * median of the per-round ratios a/b, which cancels the drift of a busy machine better than a
 * ratio of medians.
 */
async function paired(runs: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>) {
  const times: [number[], number[]] = [[], []]
  for (let i = -2; i < runs; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const start = performance.now()
      await fn(i + 2)
      if (i >= 0) times[k as 0 | 1].push(performance.now() - start)
    }
  }
  const ratios = times[0].map((t, i) => t / (times[1][i] ?? Number.NaN))
  return { a: median(times[0]), b: median(times[1]), ratio: median(ratios) }
}

/**
 * One artifact change committed and fast-forwarded: through the artifact store and the git layer
 * (store write in a worktree, then `mergeFfOnly` in the target's clean checkout) against the same
 * steps with plain git (`git add`, `git commit`, `git merge --ff-only`). Target: ratio <= 1.2.
 */
export async function benchStoreCommit(
  dir: string,
  runs = 60,
): Promise<{ storeMs: number; gitMs: number; ratio: number }> {
  const repo = join(dir, 'store-repo')
  await rm(repo, { recursive: true, force: true })
  await mkdir(repo, { recursive: true })
  try {
    makeRepo(repo, 50)
    const trees = { store: join(repo, 'wt-store'), plain: join(repo, 'wt-plain') }
    const targets = { store: join(repo, 'target-store'), plain: join(repo, 'target-plain') }
    for (const name of ['store', 'plain'] as const) {
      await plain(repo, 'worktree', 'add', '--quiet', '-b', `work-${name}`, trees[name], 'main')
      await plain(repo, 'worktree', 'add', '--quiet', '-b', `target-${name}`, targets[name], 'main')
    }
    const store = createArtifactStore({ cwd: trees.store, owners: { 'REQUIREMENTS.md': 'product' } })
    const text = (i: number) => `# Requirements\n\n${'- a requirement\n'.repeat(i + 1)}`

    const {
      a: storeMs,
      b: gitMs,
      ratio,
    } = await paired(
      runs,
      async (i) => {
        const made = await store.write({
          name: 'REQUIREMENTS.md',
          content: text(i),
          agent: 'product',
          run: 'b',
          stage: 'r',
        })
        if (!made) throw new Error('the store made no commit')
        await mergeFfOnly(targets.store, made.commit)
      },
      async (i) => {
        await mkdir(join(trees.plain, 'artifacts'), { recursive: true })
        await writeFile(join(trees.plain, 'artifacts', 'REQUIREMENTS.md'), text(i))
        await plain(trees.plain, 'add', 'artifacts/REQUIREMENTS.md')
        await plain(
          trees.plain,
          ...IDENTITY,
          'commit',
          '--quiet',
          '--message',
          'product: update REQUIREMENTS.md',
        )
        await plain(targets.plain, 'merge', '--ff-only', '--quiet', 'work-plain')
      },
    )
    return { storeMs, gitMs, ratio }
  } finally {
    await rm(repo, { recursive: true, force: true })
  }
}

/**
 * A run's worktree added on a new branch and removed again: through the git layer against plain
 * `git worktree add -b` and `git worktree remove --force`. Target: ratio <= 1.1.
 */
export async function benchWorktrees(
  dir: string,
  runs = 40,
): Promise<{ layerMs: number; gitMs: number; ratio: number }> {
  const repo = join(dir, 'worktree-repo')
  await rm(repo, { recursive: true, force: true })
  await mkdir(repo, { recursive: true })
  try {
    makeRepo(repo, 50)
    const {
      a: layerMs,
      b: gitMs,
      ratio,
    } = await paired(
      runs,
      async (i) => {
        await addWorktree(repo, `.wt/layer-${i}`, `layer-${i}`, 'main')
        await removeWorktree(repo, `.wt/layer-${i}`)
      },
      async (i) => {
        await plain(
          repo,
          'worktree',
          'add',
          '--quiet',
          '-b',
          `plain-${i}`,
          join(repo, '.wt', `plain-${i}`),
          'main',
        )
        await plain(repo, 'worktree', 'remove', '--force', join(repo, '.wt', `plain-${i}`))
      },
    )
    return { layerMs, gitMs, ratio }
  } finally {
    await rm(repo, { recursive: true, force: true })
  }
}
