import { cp, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot, runCli } from '../helpers/cli.js'
import { completion, type FakeOpenAi, failure, startFakeOpenAi } from '../helpers/fake-openai.js'
import { tempDir } from '../helpers/temp.js'
import { readPrompts } from '../helpers/prompts.js'

const KEY = 'sk-e2e-secret-0123456789abcdefXYZ'
const fixture = parse(
  await readFile(join(repoRoot, 'tests/fixtures/contracts/requirements.valid.yaml'), 'utf8'),
) as {
  input: unknown
  output: unknown
}

let server: FakeOpenAi
beforeEach(async () => {
  server = await startFakeOpenAi()
})
afterEach(async () => {
  await server.close()
})

/** A repository with the shipped contracts and agents, a macds.yaml pointing at the fake server, and an input file. */
async function project(config = ''): Promise<string> {
  const root = await tempDir()
  await cp(join(repoRoot, 'contracts'), join(root, 'contracts'), { recursive: true })
  await cp(join(repoRoot, 'agents'), join(root, 'agents'), { recursive: true })
  const openai = `openai:\n  base_url: ${server.url}\n  api_key_env: MACDS_TEST_KEY\n  max_retries: 0\n`
  await writeFile(join(root, 'macds.yaml'), `version: 1\n${openai}${config}`)
  await writeFile(join(root, 'input.json'), JSON.stringify(fixture.input))
  return root
}

const env = { MACDS_TEST_KEY: KEY }

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('macds agents list', () => {
  it('shows the seven agents with authority, autonomy, resolved model, contract and budgets', async () => {
    const root = await project('models: { fast: local-small }\n')
    const { code, stdout } = await runCli(['agents', 'list'], { cwd: root })
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toMatch(
      /^ID\s+AUTHORITY\s+AUTONOMY\s+LEVEL\s+TREND\s+RUNS\s+SCORES C\/E\/Co\/\$\/S\s+MODEL\s+CONTRACT\s+TOKENS\/RUN\s+CALLS\/STAGE\s+S\/CALL\s+REPAIRS$/,
    )
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      'architect',
      'product',
      'buildtest',
      'integrator',
      'reviewer',
      'infra',
      'implementation',
    ])
    expect(stdout).toMatch(
      /implementation\s+5\s+0\.70\s+standard\s+flat\s+0\s+70\/70\/70\/70\/70\s+fast \(local-small\)\s+implementation\s+600000\s+8\s+300\s+2/,
    )
  })

  it('lists the problems of an invalid definition at file:line:col and exits 2', async () => {
    const root = await project()
    const file = join(root, 'agents', 'reviewer.yaml')
    await writeFile(file, (await readFile(file, 'utf8')).replace('authority: 7', 'authority: seven'))
    const { code, stdout } = await runCli(['agents', 'list'], { cwd: root })
    expect(code).toBe(2)
    expect(stdout).toMatch(/agents\/reviewer\.yaml:\d+:12 {2}.*integer, not a string \(AGENT_SHAPE\)/)
    expect(stdout).toContain('1 agent definition invalid')
    expect(stdout).toMatch(/^architect /m)
  })
})

describe('macds agents try', () => {
  it('prints the validated output and keeps the prompts without the key', async () => {
    const root = await project()
    server.reply(
      completion(`\`\`\`json\n${JSON.stringify(fixture.output)}\n\`\`\``, {
        usage: { prompt_tokens: 1000, completion_tokens: 400 },
      }),
    )
    const { code, stdout, stderr } = await runCli(['agents', 'try', 'product', '--input', 'input.json'], {
      cwd: root,
      env,
    })
    expect(stderr).toContain('accepted after 1 attempt, 1400 tokens, $0.0052')
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual(fixture.output)
    expect(server.requests[0]?.body.model).toBe('gpt-4.1')
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    const written = await filesUnder(join(root, '.macds'))
    const kept = written.filter((f) => f.includes(join('.macds', 'prompts', 'try-')) && f.endsWith('.jsonl'))
    expect(kept).toHaveLength(1)
    expect(await readPrompts(kept[0] ?? '')).toMatchObject([
      { agent: 'product', stage: 'requirements', attempt: 1 },
    ])
    for (const f of written) expect(await readFile(f, 'utf8')).not.toContain(KEY)
    expect(await readFile(join(root, '.macds', '.gitignore'), 'utf8')).toBe('*\n')
  })

  it('shows the violations and why it stopped, exit 1', async () => {
    const root = await project()
    const bad = completion(JSON.stringify({ requirements: [] }))
    server.reply(bad, bad, bad)
    const { code, stderr } = await runCli(['agents', 'try', 'product', '--input', 'input.json'], {
      cwd: root,
      env,
    })
    expect(code).toBe(1)
    expect(stderr).toMatch(/asking for a repair/)
    expect(stderr).toMatch(
      /failed \(violations\): the answer still breaks the contract "requirements" after 2 repairs/,
    )
    expect(stderr).toMatch(/error\s+REQ-\d+|error\s+SCHEMA/)
  })

  it('runs a script with the scripted provider', async () => {
    const root = await project()
    const script = { version: 1, steps: [{ agent: 'product', output: fixture.output }] }
    await writeFile(join(root, 'script.json'), JSON.stringify(script))
    const { code, stdout } = await runCli(
      [
        'agents',
        'try',
        'product',
        '--input',
        'input.json',
        '--provider',
        'scripted',
        '--script',
        'script.json',
      ],
      { cwd: root },
    )
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual(fixture.output)
    expect(server.requests).toHaveLength(0)
  })

  it('explains a missing key, an unknown agent and an input the contract rejects', async () => {
    const root = await project()
    const noKey = await runCli(['agents', 'try', 'product', '--input', 'input.json'], {
      cwd: root,
      env: { MACDS_TEST_KEY: '' },
    })
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('MACDS_TEST_KEY')
    expect(noKey.stderr).toMatch(/--provider scripted/)
    const unknown = await runCli(['agents', 'try', 'nobody', '--input', 'input.json'], { cwd: root, env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/no agent 'nobody'[\s\S]*Known agents: architect, product/)
    await writeFile(join(root, 'bad.json'), '{"requirement": 5}')
    const bad = await runCli(['agents', 'try', 'product', '--input', 'bad.json'], { cwd: root, env })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/failed \(input_invalid\)/)
    expect(server.requests).toHaveLength(0)
  })
})

describe('macds doctor', () => {
  it('passes when everything is in place, with one tiny call per model', async () => {
    const root = await project()
    server.reply(completion('OK'), completion('OK'))
    const { code, stdout } = await runCli(['doctor'], { cwd: root, env })
    expect(stdout).toMatch(/ok {4}node: v\d+/)
    expect(stdout).toMatch(/ok {4}contracts: 9 valid/)
    expect(stdout).toMatch(/ok {4}agents: 7 valid/)
    expect(stdout).toMatch(/ok {4}model gpt-4\.1: answers at http:\/\/127\.0\.0\.1/)
    expect(stdout).toMatch(/ok {4}model gpt-4\.1-mini: answers/)
    expect(code).toBe(0)
    expect(server.requests.map((r) => r.body.max_tokens)).toEqual([16, 16])
  })

  it('says exactly what is wrong: a refused key, an unknown model', async () => {
    const root = await project()
    server.reply(
      failure(401, 'Incorrect API key provided', { code: 'invalid_api_key' }),
      failure(404, 'The model `gpt-4.1-mini` does not exist', { code: 'model_not_found' }),
    )
    const { code, stdout } = await runCli(['doctor'], { cwd: root, env })
    expect(code).toBe(1)
    expect(stdout).toMatch(/FAIL {2}model gpt-4\.1(-mini)?: .*(refused|not found)/)
    expect(stdout).toContain('2 checks failed')
    expect(stdout).not.toContain(KEY)
  })

  it('reports an unreachable server and a broken macds.yaml', async () => {
    const root = await project()
    await server.close()
    const down = await runCli(['doctor'], { cwd: root, env })
    expect(down.code).toBe(1)
    expect(down.stdout).toMatch(/FAIL {2}model gpt-4\.1: .*127\.0\.0\.1/)
    expect(down.stdout).toMatch(/hint: .*base_url/)
    await writeFile(join(root, 'macds.yaml'), 'provider: [')
    const broken = await runCli(['doctor'], { cwd: root, env })
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/FAIL {2}configuration: .*macds\.yaml is invalid/)
    server = await startFakeOpenAi()
  })
})
