import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MEMORY_POLICY, type NewMemoryEntry, openMemory } from '../../src/core/memory/index.js'
import { tempDir } from '../helpers/temp.js'

const T0 = new Date('2025-03-01T12:00:00.000Z')
const note = (content: string, extra: Partial<NewMemoryEntry> = {}): NewMemoryEntry => ({
  scope: 'failure',
  agent: 'implementation',
  content,
  confidence: 1,
  ...extra,
})

async function fileLines(root: string, scope: string): Promise<string[]> {
  return (await readFile(join(root, 'memory', `${scope}.jsonl`), 'utf8')).split('\n').filter((l) => l !== '')
}

describe('memory files', () => {
  it('skips a torn last line, and a later append still lands on a line of its own', async () => {
    const root = await tempDir()
    const first = await (await openMemory(root, DEFAULT_MEMORY_POLICY)).add(note('whole'), T0)
    await appendFile(join(root, 'memory/failure.jsonl'), '{"id":"m-deadbeef","scope":"fail')
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    expect(store.skipped).toBe(1)
    expect(store.list().map((w) => w.entry.id)).toEqual([first.id])
    const second = await store.add(note('after the crash'), T0)
    const reopened = await openMemory(root, DEFAULT_MEMORY_POLICY)
    expect(
      reopened
        .list({ now: T0 })
        .map((w) => w.entry.id)
        .sort(),
    ).toEqual([first.id, second.id].sort())
    expect(reopened.skipped).toBe(1)
    expect(await reopened.prune(T0)).toEqual({ removed: 0, kept: 2, skipped: 1 })
    expect(await fileLines(root, 'failure')).toHaveLength(2)
    expect((await openMemory(root, DEFAULT_MEMORY_POLICY)).skipped).toBe(0)
  })

  it('skips lines that are not notes of the file’s scope', async () => {
    const root = await tempDir()
    await mkdir(join(root, 'memory'))
    const good = { id: 'm-00000001', scope: 'skill', agent: 'all', content: 'ok', tags: [], confidence: 1 }
    const times = { created: T0.toISOString(), reinforced: T0.toISOString() }
    const text = [
      JSON.stringify({ ...good, ...times }),
      JSON.stringify({ ...good, ...times, id: 'm-00000002', scope: 'project' }),
      JSON.stringify({ ...good, ...times, id: 'm-00000003', confidence: 2 }),
      JSON.stringify({ ...good, id: 'm-00000004' }),
      'not json',
      '',
    ].join('\n')
    await writeFile(join(root, 'memory/skill.jsonl'), text)
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    expect(store.list().map((w) => w.entry.id)).toEqual(['m-00000001'])
    expect(store.skipped).toBe(4)
  })

  it('keeps every one of many concurrent adds whole, and merges concurrent adds of one note', async () => {
    const root = await tempDir()
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    const other = await openMemory(root, DEFAULT_MEMORY_POLICY)
    const adds = Array.from({ length: 200 }, (_, i) =>
      (i % 2 === 0 ? store : other).add(note(`failure number ${i} ${'detail '.repeat(i % 50)}`), T0),
    )
    const same = Array.from({ length: 20 }, () => store.add(note('one and the same'), T0))
    const entries = await Promise.all([...adds, ...same])
    expect(new Set(entries.slice(0, 200).map((e) => e.id)).size).toBe(200)
    expect(new Set(entries.slice(200).map((e) => e.id)).size).toBe(1)
    const lines = await fileLines(root, 'failure')
    // The same note at full confidence, added again at once with nothing new, is written once.
    expect(lines).toHaveLength(201)
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    const reopened = await openMemory(root, DEFAULT_MEMORY_POLICY)
    expect(reopened.size).toBe(201)
    expect(reopened.skipped).toBe(0)
  })

  it('keeps notes another store added since this one opened when it prunes', async () => {
    const root = await tempDir()
    const early = await openMemory(root, DEFAULT_MEMORY_POLICY)
    const late = await openMemory(root, DEFAULT_MEMORY_POLICY)
    await late.add(note('added elsewhere'), T0)
    await early.add(note('added here', { scope: 'working' }), T0)
    expect(await early.prune(T0)).toEqual({ removed: 0, kept: 2, skipped: 0 })
    expect(early.size).toBe(2)
  })

  it('leaves no temporary files behind after rewriting', async () => {
    const root = await tempDir()
    const store = await openMemory(root, DEFAULT_MEMORY_POLICY)
    await store.add(note('short lived', { scope: 'working' }), T0)
    await store.add(note('kept', { scope: 'skill' }), T0)
    expect(await store.prune(new Date(T0.getTime() + 10 * 3_600_000))).toMatchObject({ removed: 1, kept: 1 })
    expect((await readdir(join(root, 'memory'))).sort()).toEqual(['skill.jsonl', 'working.jsonl'])
    expect(await fileLines(root, 'working')).toEqual([])
  })
})
