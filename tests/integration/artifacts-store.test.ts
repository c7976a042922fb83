import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTIFACT_NAMES, artifactVersions, createArtifactStore } from '../../src/core/artifacts/index.js'
import { gitRepo, sh } from '../helpers/git-repo.js'

/** The default owners of the six artifacts. */
const OWNERS: Record<string, string> = {
  'ARCHITECTURE.md': 'architect',
  'API_CONTRACTS.yaml': 'architect',
  'DESIGN_DECISIONS.log': 'architect',
  'REQUIREMENTS.md': 'product',
  'RISK_REGISTER.md': 'product',
  'CODING_STANDARDS.md': 'reviewer',
}

/** Version `n` of an artifact's text; versions of the append-only log extend each other. */
function content(name: string, n: number): string {
  if (name.endsWith('.yaml')) return `version: ${n}\nendpoints: []\n`
  if (name.endsWith('.log')) return Array.from({ length: n }, (_, i) => `decision ${i + 1}\n`).join('')
  return `# ${name}\n\nversion ${n}\n`
}

describe('the artifact store', () => {
  it('commits each change of each artifact alone, attributed to its owner and run', async () => {
    const repo = await gitRepo()
    const store = createArtifactStore({ cwd: repo, owners: OWNERS })
    for (const version of [1, 2, 2]) {
      await Promise.all(
        ARTIFACT_NAMES.map((name) =>
          store.write({
            name,
            content: content(name, version),
            agent: OWNERS[name] ?? '',
            run: 'r1',
            stage: 's',
          }),
        ),
      )
    }

    for (const name of ARTIFACT_NAMES) {
      const versions = await artifactVersions(repo, name)
      expect(versions.map((v) => [v.name, v.agent, v.author, v.run, v.stage, v.subject])).toEqual(
        [1, 2].map(() => [
          name,
          OWNERS[name],
          `macds ${OWNERS[name]}`,
          'r1',
          's',
          `${OWNERS[name]}: update ${name}`,
        ]),
      )
      for (const v of versions)
        expect(sh(repo, 'show', '--name-only', '--format=', v.commit)).toBe(`artifacts/${name}`)
      expect(await store.read(name)).toBe(content(name, 2))
    }
    expect(sh(repo, 'rev-list', '--count', 'HEAD')).toBe(String(1 + 2 * ARTIFACT_NAMES.length))
  })

  it('returns the commit, and nothing when the content is unchanged', async () => {
    const repo = await gitRepo()
    const store = createArtifactStore({ cwd: repo, owners: OWNERS })
    const change = {
      name: 'REQUIREMENTS.md',
      content: '# R\n',
      agent: 'product',
      run: 'r2',
      stage: 'requirements',
    }
    const made = await store.write(change)
    expect(made).toEqual({ commit: sh(repo, 'rev-parse', 'HEAD') })
    expect(sh(repo, 'log', '-1', '--format=%B')).toBe(
      'product: update REQUIREMENTS.md\n\nMacds-Run: r2\nMacds-Agent: product\nMacds-Stage: requirements',
    )
    expect(await store.write(change)).toBeUndefined()
  })

  it('refuses a write by an agent that does not own the artifact, and commits nothing', async () => {
    const repo = await gitRepo()
    const store = createArtifactStore({ cwd: repo, owners: OWNERS })
    await store.write({
      name: 'ARCHITECTURE.md',
      content: 'by architect\n',
      agent: 'architect',
      run: 'r',
      stage: 'a',
    })
    const head = sh(repo, 'rev-parse', 'HEAD')

    const refused = store.write({
      name: 'ARCHITECTURE.md',
      content: 'hijack\n',
      agent: 'implementation',
      run: 'r',
      stage: 'i',
    })

    await expect(refused).rejects.toMatchObject({
      code: 'ARTIFACT_NOT_OWNER',
      kind: 'user',
      message: 'implementation cannot write ARCHITECTURE.md: it is owned by architect',
    })
    expect(sh(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(await readFile(join(repo, 'artifacts/ARCHITECTURE.md'), 'utf8')).toBe('by architect\n')
    expect(sh(repo, 'status', '--porcelain')).toBe('')
    await expect(
      store.write({ name: 'NOTES.md', content: 'x', agent: 'architect', run: 'r', stage: 'a' }),
    ).rejects.toMatchObject({ code: 'ARTIFACT_UNKNOWN', hint: expect.stringContaining('REQUIREMENTS.md') })
  })

  it('keeps DESIGN_DECISIONS.log append-only', async () => {
    const repo = await gitRepo()
    const store = createArtifactStore({ cwd: repo, owners: OWNERS })
    const base = { name: 'DESIGN_DECISIONS.log', agent: 'architect', run: 'r', stage: 'arbitration' }
    await store.write({ ...base, content: '2025-01-01 first decision\n' })

    await expect(store.write({ ...base, content: 'rewritten history\n' })).rejects.toMatchObject({
      code: 'ARTIFACT_APPEND_ONLY',
    })
    await store.append({ ...base, content: 'ruling: reviewer prevails' })
    await store.write({ ...base, content: '2025-01-01 first decision\nruling: reviewer prevails\nthird\n' })

    expect(await store.read('DESIGN_DECISIONS.log')).toBe(
      '2025-01-01 first decision\nruling: reviewer prevails\nthird\n',
    )
    expect(await artifactVersions(repo, 'DESIGN_DECISIONS.log')).toHaveLength(3)
  })

  it('refuses API_CONTRACTS.yaml that is not YAML, saying where', async () => {
    const repo = await gitRepo()
    const store = createArtifactStore({ cwd: repo, owners: OWNERS })
    const write = (text: string) =>
      store.write({ name: 'API_CONTRACTS.yaml', content: text, agent: 'architect', run: 'r', stage: 'a' })
    await write('endpoints:\n  - path: /login\n')

    const error = await write('endpoints:\n  - path: [/login\nmethod: POST\n').catch((e: unknown) => e)

    expect(error).toMatchObject({ code: 'ARTIFACT_INVALID', kind: 'user' })
    expect((error as Error).message).toMatch(/^API_CONTRACTS\.yaml is not valid YAML \(line 3, column 1\): /)
    expect(await store.read('API_CONTRACTS.yaml')).toBe('endpoints:\n  - path: /login\n')
    expect(await artifactVersions(repo, 'API_CONTRACTS.yaml')).toHaveLength(1)
  })
})
