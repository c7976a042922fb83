import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadAgents, modelOf, readAgents } from '../../src/core/agents/load.js'
import { loadConfig } from '../../src/core/config/load.js'
import { repoRoot } from '../helpers/cli.js'
import { SMALL_CONTRACT } from '../helpers/contract-text.js'
import { rejection } from '../helpers/rejection.js'
import { tempDir } from '../helpers/temp.js'

const AGENT = `id: writer
name: Writer
authority: 5
contract: sample
model: fast
budgets: { tokens_per_run: 1000 }
permissions:
  files: { allow: ['src/**'], deny: ['src/secret/**'] }
  artifacts: [ARCHITECTURE.md]
prompt: You write things.
`

/** A repository with one contract (`sample`), the given agent files and an optional macds.yaml. */
async function repo(agents: Record<string, string>, config?: string): Promise<string> {
  const root = await tempDir()
  await mkdir(join(root, 'contracts'))
  await mkdir(join(root, 'agents'))
  await writeFile(
    join(root, 'contracts', 'sample.yaml'),
    SMALL_CONTRACT.replace('name: sample', 'name: sample'),
  )
  for (const [name, text] of Object.entries(agents)) await writeFile(join(root, 'agents', name), text)
  if (config !== undefined) await writeFile(join(root, 'macds.yaml'), config)
  return root
}

describe('agent definitions', () => {
  it('loads a definition with defaults filled in and the model resolved through macds.yaml', async () => {
    const root = await repo(
      { 'writer.yaml': AGENT },
      'models: { fast: small-model }\nagent_models: { writer: strong }\n',
    )
    const config = await loadConfig(root)
    const [agent] = await loadAgents(config)
    expect(agent).toMatchObject({
      id: 'writer',
      authority: 5,
      prompt: 'You write things.',
      budgets: { tokens_per_run: 1000, calls_per_stage: 6, seconds_per_call: 300, max_repairs: 2 },
      permissions: { files: { allow: ['src/**'], deny: ['src/secret/**'] }, artifacts: ['ARCHITECTURE.md'] },
    })
    expect(modelOf(agent!, config)).toBe('gpt-4.1')
    expect(modelOf(agent!, { ...config, agent_models: {} })).toBe('small-model')
  })

  it('reads the prompt from <id>.md beside the definition', async () => {
    const root = await repo({
      'writer.yaml': AGENT.replace('prompt: You write things.\n', ''),
      'writer.md': '# Writer\nYou write.\n',
    })
    const [agent] = await loadAgents(await loadConfig(root))
    expect(agent?.prompt).toBe('# Writer\nYou write.')
    expect(agent?.prompt_file).toBe(join(root, 'agents', 'writer.md'))
  })

  it('reports every problem at file:line:col and keeps the valid agents', async () => {
    const broken = AGENT.replace('authority: 5', 'authority: high')
      .replace('contract: sample', 'contract: samples')
      .replace('model: fast', 'model: quick')
      .replace('budgets: {', 'budgest: {')
    const other = AGENT.replace(/writer/g, 'editor').replace('prompt: You write things.\n', '')
    const root = await repo({ 'writer.yaml': AGENT, 'bad.yaml': broken, 'editor.yaml': other })
    const { agents, problems } = await readAgents(await loadConfig(root))
    expect(agents.map((a) => a.id)).toEqual(['writer'])
    const issues = problems.flatMap((p) =>
      p.issues.map((i) => `${i.file.split('/').pop()}:${i.line}:${i.col} ${i.code} ${i.message}`),
    )
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad\.yaml:3:12 AGENT_SHAPE .*integer/),
        expect.stringMatching(/^bad\.yaml:6:1 AGENT_SHAPE .*budgest/),
        expect.stringMatching(/^editor\.yaml:1:1 AGENT_PROMPT the agent has no prompt/),
      ]),
    )
    const shapeOk = AGENT.replace('contract: sample', 'contract: samples')
      .replace('model: fast', 'model: quick')
      .replace('id: writer', 'id: other')
    const second = await repo({ 'writer.yaml': shapeOk })
    const more = (await readAgents(await loadConfig(second))).problems.flatMap((p) => p.issues)
    expect(more.map((i) => [i.code, i.line, i.col])).toEqual([
      ['NAME_MISMATCH', 1, 5],
      ['UNKNOWN_CONTRACT', 4, 11],
      ['UNKNOWN_MODEL', 5, 8],
    ])
    expect(more[1]?.hint).toContain('sample')
    expect(more[2]?.hint).toContain('strong, fast')
  })

  it('refuses an artifact with two owners and a prompt given twice', async () => {
    const second = AGENT.replace(/writer/g, 'zeta')
    const root = await repo({ 'writer.yaml': AGENT, 'zeta.yaml': second, 'zeta.md': 'twice' })
    const { problems } = await readAgents(await loadConfig(root))
    const messages = problems.flatMap((p) => p.issues.map((i) => i.message))
    expect(messages).toEqual([expect.stringContaining('the prompt is given twice')])
    const owners = await repo({ 'writer.yaml': AGENT, 'zeta.yaml': second })
    const owned = (await readAgents(await loadConfig(owners))).problems.flatMap((p) => p.issues)
    expect(owned.map((i) => [i.message, i.line])).toEqual([['ARCHITECTURE.md is already owned by writer', 9]])
  })

  it('says how to get agents when the directory is missing', async () => {
    const root = await tempDir()
    await expect(loadAgents(await loadConfig(root))).rejects.toMatchObject({ code: 'AGENTS_DIR_MISSING' })
  })

  it('ships seven valid agents ranked by authority, each artifact with one owner', async () => {
    const agents = await loadAgents(await loadConfig(repoRoot))
    expect(agents.map((a) => [a.id, a.authority])).toEqual([
      ['architect', 10],
      ['product', 9],
      ['buildtest', 8],
      ['integrator', 8],
      ['reviewer', 7],
      ['infra', 6],
      ['implementation', 5],
    ])
    expect(agents.flatMap((a) => a.permissions.artifacts).sort()).toEqual([
      'API_CONTRACTS.yaml',
      'ARCHITECTURE.md',
      'CODING_STANDARDS.md',
      'DESIGN_DECISIONS.log',
      'REQUIREMENTS.md',
      'RISK_REGISTER.md',
    ])
  })
})

describe('macds.yaml', () => {
  it('uses the defaults without a file and merges a file onto them', async () => {
    const root = await tempDir()
    const defaults = await loadConfig(root)
    expect(defaults).toMatchObject({ file: undefined, provider: 'openai', models: { strong: 'gpt-4.1' } })
    await writeFile(
      join(root, 'macds.yaml'),
      'version: 1\nprovider: scripted\nscript: s.yaml\nopenai:\n  base_url: http://127.0.0.1:9/v1\n  api_key_env: null\nmodels: { local: llama }\n',
    )
    const config = await loadConfig(root)
    expect(config).toMatchObject({
      provider: 'scripted',
      script: join(root, 's.yaml'),
      openai: { base_url: 'http://127.0.0.1:9/v1', api_key_env: undefined, max_retries: 3 },
      models: { strong: 'gpt-4.1', fast: 'gpt-4.1-mini', local: 'llama' },
      paths: { contracts: join(root, 'contracts'), agents: join(root, 'agents') },
    })
  })

  it('reports every problem of the file with positions and a code frame', async () => {
    const root = await tempDir()
    await writeFile(
      join(root, 'macds.yaml'),
      'provider: opneai\nopenai:\n  base_url: api.openai.com\n  max_retry: 3\n',
    )
    const error = await rejection(loadConfig(root))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('(3 problems)')
    expect(error.message).toContain('macds.yaml:1:11')
    expect(error.message).toContain('macds.yaml:3:13')
    expect(error.message).toMatch(/macds\.yaml:4:3 .*max_retry/)
    expect(error.message).toContain('> 1 | provider: opneai')
  })

  it('replaces the workflow and reports its graph problems at their lines', async () => {
    const root = await tempDir()
    const workflow = `workflow:
  concurrency: 2
  stages:
    - { id: plan, agent: architect }
    - { id: build, agent: implementation, depends_on: [plan, test] }
    - { id: test, agent: buildtest, depends_on: [build], pass_when: "output.verdict = 'pass'" }
    - { id: ship, agent: integrator, depends_on: [test], on_failure: { reopen: nowhere } }
`
    await writeFile(join(root, 'macds.yaml'), workflow)
    const error = await rejection(loadConfig(root))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toMatch(/macds\.yaml:5:\d+ +stage 'build' is part of a dependency cycle/)
    expect(error.message).toMatch(/macds\.yaml:6:\d+ +stage 'test' is part of a dependency cycle/)
    expect(error.message).toMatch(/macds\.yaml:6:\d+ +pass_when of stage 'test' is not a valid condition/)
    expect(error.message).toMatch(/macds\.yaml:7:\d+ +stage 'ship' is unreachable: it waits for 'test'/)
    expect(error.message).toMatch(/stage 'ship' re-opens 'nowhere', which is not upstream of it/)

    await writeFile(
      join(root, 'macds.yaml'),
      'workflow:\n  concurrency: 3\n  stages:\n    - { id: plan, agent: architect }\n    - { id: build, agent: implementation, contract: implementation, depends_on: [plan], on_failure: { reopen: plan } }\n',
    )
    const config = await loadConfig(root)
    expect(config.workflow).toEqual({
      concurrency: 3,
      stages: [
        {
          id: 'plan',
          agent: 'architect',
          contract: 'plan',
          depends_on: [],
          pass_when: undefined,
          on_failure: undefined,
        },
        {
          id: 'build',
          agent: 'implementation',
          contract: 'implementation',
          depends_on: ['plan'],
          pass_when: undefined,
          on_failure: { reopen: 'plan', budget: 3 },
        },
      ],
    })
  })
})
