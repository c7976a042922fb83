import { describe, expect, it } from 'vitest'
import { createArtifactStore } from '../../src/core/artifacts/index.js'
import { runCli } from '../helpers/cli.js'
import { gitRepo, sh, writeFiles } from '../helpers/git-repo.js'
import { tempDir } from '../helpers/temp.js'

const owners = { 'REQUIREMENTS.md': 'product', 'ARCHITECTURE.md': 'architect' }

/** A repository whose requirements were written by the product agent twice and edited by a person once. */
async function project(): Promise<{ repo: string; first: string; second: string }> {
  const repo = await gitRepo()
  const store = createArtifactStore({ cwd: repo, owners })
  const write = (content: string) =>
    store.write({ name: 'REQUIREMENTS.md', content, agent: 'product', run: 'r-7', stage: 'requirements' })
  const first = (await write('# Requirements\n\n- R1\n'))?.commit ?? ''
  const second = (await write('# Requirements\n\n- R1\n- R2 login is rate limited\n'))?.commit ?? ''
  writeFiles(repo, { 'artifacts/ARCHITECTURE.md': '# Architecture\n' })
  sh(repo, 'add', '--all')
  sh(repo, 'commit', '--quiet', '--message', 'sketch the architecture')
  return { repo, first, second }
}

describe('macds artifacts', () => {
  it('log lists the versions newest first with agent, run and stage', async () => {
    const { repo, first, second } = await project()

    const all = await runCli(['artifacts', 'log'], { cwd: repo })

    expect(all.stderr).toBe('')
    expect(all.code).toBe(0)
    const lines = all.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^COMMIT\s+DATE\s+ARTIFACT\s+BY\s+RUN\s+STAGE\s+SUBJECT$/)
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      [
        expect.any(String),
        expect.any(String),
        'ARCHITECTURE.md',
        'Test Person (person)',
        '-',
        '-',
        'sketch the architecture',
      ],
      [
        second.slice(0, 12),
        expect.any(String),
        'REQUIREMENTS.md',
        'product',
        'r-7',
        'requirements',
        'product: update REQUIREMENTS.md',
      ],
      [
        first.slice(0, 12),
        expect.any(String),
        'REQUIREMENTS.md',
        'product',
        'r-7',
        'requirements',
        'product: update REQUIREMENTS.md',
      ],
    ])

    const one = await runCli(['artifacts', 'log', 'REQUIREMENTS.md', '--json', '--cwd', repo])
    expect(one.code).toBe(0)
    const versions = JSON.parse(one.stdout) as { commit: string; agent: string }[]
    expect(versions.map((v) => [v.commit, v.agent])).toEqual([
      [second, 'product'],
      [first, 'product'],
    ])
  })

  it('diff prints the change one commit made to an artifact', async () => {
    const { repo, second } = await project()

    const result = await runCli(['artifacts', 'diff', 'REQUIREMENTS.md', second.slice(0, 8)], { cwd: repo })

    expect(result.code).toBe(0)
    expect(result.stdout).toContain('--- a/artifacts/REQUIREMENTS.md\n+++ b/artifacts/REQUIREMENTS.md\n')
    expect(result.stdout).toContain('\n+- R2 login is rate limited\n')
  })

  it.each([
    [['artifacts', 'log', 'NOTES.md'], /'NOTES.md' is not an artifact/],
    [['artifacts', 'log', '--ref', 'no-such-branch'], /'no-such-branch' is not a branch or commit/],
    [['artifacts', 'diff', 'NOTES.md', 'HEAD'], /'NOTES.md' is not an artifact/],
    [['artifacts', 'diff', 'REQUIREMENTS.md', 'deadbeef'], /'deadbeef' is not a commit of this repository/],
    [['artifacts', 'diff', 'ARCHITECTURE.md', 'HEAD~1'], /commit HEAD~1 does not change ARCHITECTURE.md/],
    [['artifacts', 'diff', 'REQUIREMENTS.md'], /takes 2 arguments/],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const { repo } = await project()
    const result = await runCli(args, { cwd: repo })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).toBe('')
  })

  it('outside a repository exits 2 and says how to get one', async () => {
    const dir = await tempDir()
    const result = await runCli(['artifacts', 'log'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/is not inside a git repository\n.*git init/)
  })
})
