import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp.js'

/** A directory with the shipped memory policy, as `macds init` leaves it. */
async function project(): Promise<string> {
  const root = await tempDir()
  await mkdir(join(root, 'memory'))
  await copyFile(join(repoRoot, 'memory/policy.yaml'), join(root, 'memory/policy.yaml'))
  return root
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString()

describe('macds memory', () => {
  it('adds notes, prints their ids, and lists them with their strength now', async () => {
    const root = await project()
    const add = await runCli(['memory', 'add', 'Tests live next to the code', '--scope', 'project'], {
      cwd: root,
    })
    expect(add).toMatchObject({ code: 0, stderr: '' })
    const id = add.stdout.trim()
    expect(id).toMatch(/^m-[0-9a-f]{8}$/)
    const args = [
      '--scope',
      'failure',
      '--agent',
      'implementation',
      '--tags',
      'ci,tests',
      '--confidence',
      '0.8',
    ]
    expect((await runCli(['memory', 'add', 'Ran the wrong test suite', ...args], { cwd: root })).code).toBe(0)

    const list = await runCli(['memory', 'list'], { cwd: root })
    expect(list.code).toBe(0)
    const lines = list.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^ID\s+STRENGTH\s+SCOPE\s+AGENT\s+AGE\s+CONTENT$/)
    expect(lines[1]).toMatch(
      new RegExp(`^${id}\\s+1\\.00\\s+project\\s+all\\s+just now\\s+Tests live next to the code$`),
    )
    expect(lines[2]).toMatch(/0\.80\s+failure\s+implementation\s+just now\s+Ran the wrong test suite$/)
    expect(list.stdout).toContain('2 notes')

    const only = await runCli(['memory', 'list', '--agent', 'implementation', '--json'], { cwd: root })
    const parsed = JSON.parse(only.stdout) as { threshold: number; entries: Record<string, unknown>[] }
    expect(parsed.threshold).toBe(0.1)
    expect(parsed.entries).toEqual([
      expect.objectContaining({ scope: 'failure', tags: ['ci', 'tests'], confidence: 0.8, strength: 0.8 }),
    ])
    const projectOnly = await runCli(['memory', 'list', '--scope', 'project'], { cwd: root })
    expect(projectOnly.stdout).not.toContain('wrong test')
  })

  it('reinforces a note added twice instead of keeping two', async () => {
    const root = await project()
    const args = ['memory', 'add', 'Use pnpm, not npm', '--scope', 'skill', '--confidence', '0.5']
    const first = await runCli(args, { cwd: root })
    const second = await runCli(args, { cwd: root })
    expect(second.stdout).toBe(first.stdout)
    expect(second.stderr).toContain('reinforced')
    const { entries } = JSON.parse((await runCli(['memory', 'list', '--json'], { cwd: root })).stdout) as {
      entries: { confidence: number }[]
    }
    expect(entries).toHaveLength(1)
    expect(entries[0]?.confidence).toBe(0.6)
  })

  it('cuts long content to the width of the output', async () => {
    const root = await project()
    await runCli(['memory', 'add', `A long note ${'about many things '.repeat(20)}`, '--scope', 'project'], {
      cwd: root,
    })
    const { stdout } = await runCli(['memory', 'list'], { cwd: root })
    const line = stdout.split('\n')[1] ?? ''
    expect(line).toHaveLength(120)
    expect(line.endsWith('…')).toBe(true)
  })

  it('prunes the notes that faded below the threshold, or only counts them with --dry-run', async () => {
    const root = await project()
    const note = (id: string, scope: string, hours: number) => {
      const at = hoursAgo(hours)
      return JSON.stringify({
        id,
        scope,
        agent: 'all',
        content: id,
        tags: [],
        confidence: 1,
        created: at,
        reinforced: at,
      })
    }
    const file = join(root, 'memory/working.jsonl')
    const [old, recent] = [note('m-00000001', 'working', 5), note('m-00000002', 'working', 1)]
    await writeFile(file, `${old}\n${recent}\n`)
    const dry = await runCli(['memory', 'prune', '--dry-run'], { cwd: root })
    expect(dry).toMatchObject({ code: 0, stdout: 'would remove 1 note below strength 0.1, would keep 1\n' })
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3)
    const real = await runCli(['memory', 'prune'], { cwd: root })
    expect(real).toMatchObject({ code: 0, stdout: 'removed 1 note below strength 0.1, kept 1\n' })
    expect(await readFile(file, 'utf8')).toBe(`${recent}\n`)
  })

  it('says when there are no notes yet', async () => {
    const { code, stdout } = await runCli(['memory', 'list'], { cwd: await project() })
    expect(code).toBe(0)
    expect(stdout).toContain('no memory notes yet')
  })

  it.each([
    [['add', 'x', '--scope', 'projekt'], "'projekt' is not a memory scope", "Did you mean 'project'?"],
    [
      ['add', 'x', '--scope', 'skill', '--confidence', '1.2'],
      "confidence '1.2' is not a number from 0 to 1",
      '0.8',
    ],
    [['add', 'x'], '`macds memory add` needs --scope', '--scope working, project, skill or failure'],
    [['list', '--scope', 'failures'], "'failures' is not a memory scope", "Did you mean 'failure'?"],
  ])('exits 2 for memory %j with what is wrong and what to do', async (args, message, hint) => {
    const { code, stderr } = await runCli(['memory', ...args], { cwd: await project() })
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stderr).toContain(hint)
  })

  it('exits 2 for an invalid policy, naming the file, line and column', async () => {
    const root = await project()
    const file = join(root, 'memory/policy.yaml')
    await writeFile(file, (await readFile(file, 'utf8')).replace('half_life: 24h', 'half_life: a day'))
    const { code, stderr } = await runCli(['memory', 'list'], { cwd: root })
    expect(code).toBe(2)
    expect(stderr).toMatch(/memory\/policy\.yaml:\d+:\d+ {2}half_life 'a day' is not a duration above zero/)
    expect(stderr).toContain('hint: Write a number with a unit')
  })
})
