import { describe, expect, it } from 'vitest'
import { artifactDiff, artifactVersions, createArtifactStore } from '../../src/core/artifacts/index.js'
import { gitRepo, sh, writeFiles } from '../helpers/git-repo.js'

const owners = { 'REQUIREMENTS.md': 'product', 'ARCHITECTURE.md': 'architect' }

describe('artifact history', () => {
  it('lists agents’ and people’s changes newest first, and diffs one version', async () => {
    const repo = await gitRepo({ 'artifacts/REQUIREMENTS.md': '# Requirements\n' })
    const store = createArtifactStore({ cwd: repo, owners })
    const first = await store.write({
      name: 'REQUIREMENTS.md',
      content: '# Requirements\n\n- R1 login is rate limited\n',
      agent: 'product',
      run: 'r1',
      stage: 'requirements',
    })
    writeFiles(repo, {
      'artifacts/REQUIREMENTS.md': '# Requirements\n\n- R1 login is rate limited\n- R2 by a person\n',
    })
    writeFiles(repo, { 'artifacts/ARCHITECTURE.md': '# Architecture\n' })
    sh(repo, 'commit', '--quiet', '--all', '--message', 'edit requirements by hand')
    sh(repo, 'add', 'artifacts/ARCHITECTURE.md')
    sh(repo, 'commit', '--quiet', '--message', 'add architecture')

    const versions = await artifactVersions(repo)

    expect(versions.map((v) => [v.name, v.agent, v.author, v.run, v.subject])).toEqual([
      ['ARCHITECTURE.md', undefined, 'Test Person', undefined, 'add architecture'],
      ['REQUIREMENTS.md', undefined, 'Test Person', undefined, 'edit requirements by hand'],
      ['REQUIREMENTS.md', 'product', 'macds product', 'r1', 'product: update REQUIREMENTS.md'],
      ['REQUIREMENTS.md', undefined, 'Test Person', undefined, 'Initial commit'],
    ])
    expect(versions[2]?.commit).toBe(first?.commit)
    expect(versions[2]?.time).toMatch(/^\d{4}-\d\d-\d\dT/)

    const diff = await artifactDiff(repo, 'REQUIREMENTS.md', first?.commit.slice(0, 10) ?? '')
    expect(diff).toContain('--- a/artifacts/REQUIREMENTS.md\n+++ b/artifacts/REQUIREMENTS.md')
    expect(diff).toContain('+- R1 login is rate limited')
    expect(await artifactDiff(repo, 'ARCHITECTURE.md', first?.commit ?? '')).toBe('')
    const root = versions[3]?.commit ?? ''
    expect(await artifactDiff(repo, 'REQUIREMENTS.md', root)).toContain('+# Requirements')
  })

  it('refuses an unknown artifact or commit', async () => {
    const repo = await gitRepo()
    await expect(artifactVersions(repo, 'README.md')).rejects.toMatchObject({ code: 'ARTIFACT_UNKNOWN' })
    await expect(artifactDiff(repo, 'REQUIREMENTS.md', 'nope')).rejects.toMatchObject({
      code: 'ARTIFACT_NO_COMMIT',
      hint: 'List the versions of REQUIREMENTS.md with `macds artifacts log REQUIREMENTS.md`.',
    })
    await expect(artifactDiff(repo, 'REQUIREMENTS.md', '--output=x')).rejects.toMatchObject({
      code: 'ARTIFACT_NO_COMMIT',
    })
  })
})
