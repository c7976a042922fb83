import { existsSync } from 'node:fs'
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp.js'

const fakeEditor = join(repoRoot, 'tests/helpers/fake-editor.mjs')

/** A project with the shipped contracts and an editor that applies `edits`, one list entry per run. */
async function setup(edits: unknown[]) {
  const dir = await tempDir()
  await cp(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true })
  const plan = join(dir, 'edits.json')
  await writeFile(plan, JSON.stringify(edits))
  const file = join(dir, 'contracts', 'review.yaml')
  const original = await readFile(file, 'utf8')
  const version = /^version: "([^"]+)"/m.exec(original)?.[1] ?? ''
  const edit = (input = '') =>
    runCli(['contracts', 'edit', 'review', '--cwd', dir], {
      env: { EDITOR: `node ${fakeEditor}`, VISUAL: '', FAKE_EDITS: plan },
      input,
    })
  const runs = async () =>
    (await readFile(`${plan}.runs`, 'utf8').catch(() => '')).split('\n').filter(Boolean).length
  return { dir, file, original, version, edit, runs, draft: join(dir, '.macds', 'drafts', 'review.yaml') }
}

describe('macds contracts edit', () => {
  it('saves a valid edit and removes the draft', async () => {
    const { file, version, edit, draft } = await setup([['version: "1.0.0"', 'version: "1.1.0"']])
    expect(version).toBe('1.0.0')
    const result = await edit()
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Saved contracts/review.yaml: version 1.0.0 -> 1.1.0')
    expect(await readFile(file, 'utf8')).toContain('version: "1.1.0"')
    expect(existsSync(draft)).toBe(false)
  })

  it('never activates an invalid edit; declining to re-open keeps the draft, and the next edit continues it', async () => {
    const { file, original, edit, draft, runs } = await setup([
      ['severity: warning', 'severity: loud'],
      ['severity: loud', 'severity: warning'],
    ])
    const first = await edit('n\n')
    expect(first.code).toBe(2)
    expect(first.stdout).toMatch(/\.macds\/drafts\/review\.yaml:\d+:\d+ {2}.*"loud"/)
    expect(first.stdout).toContain('The contract in force is unchanged')
    expect(await readFile(file, 'utf8')).toBe(original)
    expect(await readFile(draft, 'utf8')).toContain('severity: loud')

    const second = await edit()
    expect(second.stdout).toContain('Continuing your unsaved draft .macds/drafts/review.yaml')
    expect(second.code).toBe(0)
    expect(await runs()).toBe(2)
    expect(existsSync(draft)).toBe(false)
    expect(await readFile(file, 'utf8')).toBe(original)
  })

  it('re-opens the editor on request until the contract is valid', async () => {
    const { file, edit, runs } = await setup([
      ['version: "1.0.0"', 'version: "2.0.0"\nbogus: 1'],
      ['bogus: 1', ''],
    ])
    const result = await edit('y\n')
    expect(result.stdout).toMatch(/unknown property 'bogus'/)
    expect(result.code).toBe(0)
    expect(await runs()).toBe(2)
    expect(await readFile(file, 'utf8')).toContain('version: "2.0.0"')
  })

  it('treats end of input as no', async () => {
    const { file, original, edit } = await setup([['version: "1.0.0"', 'version: [']])
    const result = await edit('')
    expect(result.code).toBe(2)
    expect(await readFile(file, 'utf8')).toBe(original)
  })

  it('leaves the contract alone when nothing changed or the editor failed', async () => {
    const unchanged = await setup([])
    const same = await unchanged.edit()
    expect(same).toMatchObject({ code: 0 })
    expect(same.stdout).toContain('No changes to contracts/review.yaml')

    const failing = await setup(['fail'])
    const failed = await failing.edit()
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('The editor exited with code 3')
    expect(await readFile(failing.file, 'utf8')).toBe(failing.original)
  })

  it('says how to set an editor when the configured one is missing', async () => {
    const { dir } = await setup([])
    const result = await runCli(['contracts', 'edit', 'review', '--cwd', dir], {
      env: { EDITOR: '/nonexistent/editor', VISUAL: '' },
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("cannot start the editor '/nonexistent/editor'")
    expect(result.stderr).toContain('$EDITOR')
  })
})
