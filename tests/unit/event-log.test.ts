import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { userError } from '../../src/core/errors.js'
import { EventLog, type LoggedEvent, readEventLog } from '../../src/core/run/event-log.js'
import { rejection } from '../helpers/rejection.js'
import { tempDir, waitFor } from '../helpers/temp.js'

const root = resolve(import.meta.dirname, '../..')

/** A log file in a fresh temp dir, holding `count` events of type `step` with `i` = seq. */
async function logWith(count: number): Promise<string> {
  const file = join(await tempDir(), 'runs', 'r1', 'events.jsonl')
  const log = await EventLog.open(file)
  for (let i = 1; i <= count; i++) log.append({ type: 'step', i })
  await log.close()
  return file
}

const line = (seq: number) =>
  JSON.stringify({ v: 1, seq, ts: '2025-01-01T00:00:00.000Z', type: 'step', i: seq })
const seqs = (events: LoggedEvent[]) => events.map((e) => e.seq)

describe('EventLog', () => {
  it('round-trips appended events with v, seq and ts', async () => {
    const file = join(await tempDir(), 'a', 'b', 'events.jsonl')
    const log = await EventLog.open(file)
    expect(log.lastSeq).toBe(0)
    const first = log.append({ type: 'run.started', goal: 'ship it', nested: { ok: true } })
    expect(first).toMatchObject({ v: 1, seq: 1, type: 'run.started', goal: 'ship it' })
    expect(new Date(first.ts).toISOString()).toBe(first.ts)
    log.append({ type: 'stage.started', stage: 'architecture' })
    expect(log.lastSeq).toBe(2)
    await log.sync()
    await log.close()
    const { events, torn } = await readEventLog(file)
    expect(torn).toBe(false)
    expect(events).toEqual([first, expect.objectContaining({ v: 1, seq: 2, stage: 'architecture' })])
    expect(Object.keys(events[0]!).slice(0, 4)).toEqual(['v', 'seq', 'ts', 'type'])
  })

  it('assigns v, seq and ts itself, first on the line, and keeps no change made after the write', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const log = await EventLog.open(file)
    const logged = log.append({ type: 'x', seq: 99, v: 7, ts: 'then', list: [1] } as { type: string })
    expect(logged).toMatchObject({ v: 1, seq: 1 })
    const expected = `{"v":1,"seq":1,"ts":"${logged.ts}","type":"x","list":[1]}`
    expect(log.lastLine()).toBe(expected)
    const plain = log.append({ type: 'y', n: 2 })
    expect(log.lastLine()).toBe(`{"v":1,"seq":2,"ts":"${plain.ts}","type":"y","n":2}`)
    await log.flush()
    ;(logged['list'] as number[]).push(2)
    await log.close()
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(expected)
    const { events } = await readEventLog(file)
    expect(events[0]!.ts).not.toBe('then')
    expect(() => log.append({ type: 'late' })).toThrow(expect.objectContaining({ code: 'EVENT_LOG_CLOSED' }))
    await log.close() // a second close is harmless
  })

  it('breaks on an event that is not JSON: the events before it are written, nothing after it', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const log = await EventLog.open(file)
    const breaks: string[] = []
    log.onBreak = (error) => breaks.push(error.code)
    const cyclic: { type: string; self?: unknown } = { type: 'cyclic' }
    cyclic.self = cyclic
    log.append({ type: 'good', n: 1 })
    log.append(cyclic)
    expect(() => log.lastLine()).toThrow(expect.objectContaining({ code: 'EVENT_NOT_SERIALIZABLE' }))
    const after = log.append({ type: 'after', n: 3 })
    expect(log.lastLine()).toBe(`{"v":1,"seq":3,"ts":"${after.ts}","type":"after","n":3}`)
    await expect(log.flush()).rejects.toMatchObject({
      code: 'EVENT_NOT_SERIALIZABLE',
      message: expect.stringContaining('The event "cyclic" is not JSON'),
    })
    await log.close().catch(() => undefined)
    expect(breaks).toEqual(['EVENT_NOT_SERIALIZABLE'])
    const { events } = await readEventLog(file)
    expect(events.map((e) => e.type)).toEqual(['good'])
  })

  it('continues seq numbering after reopening', async () => {
    const file = await logWith(3)
    const log = await EventLog.open(file)
    expect(log.lastSeq).toBe(3)
    expect(log.append({ type: 'step', i: 4 }).seq).toBe(4)
    await log.close()
    expect(seqs((await readEventLog(file)).events)).toEqual([1, 2, 3, 4])
  })

  it('continues after a last line longer than the part of the file it reads on open', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const log = await EventLog.open(file)
    log.append({ type: 'small' })
    log.append({ type: 'big', text: 'é'.repeat(100_000) })
    await log.close()
    const again = await EventLog.open(file)
    expect(again.lastSeq).toBe(2)
    await again.close()
  })

  it('flushes by itself after the current turn of the event loop', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const log = await EventLog.open(file)
    log.append({ type: 'auto' })
    await waitFor(() => (readFileSync(file, 'utf8').includes('"auto"') ? true : undefined), 2000, 'the flush')
    await log.close()
  })

  it('keeps append order across interleaved appends and concurrent flushes', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const log = await EventLog.open(file)
    const resolved: number[] = []
    const flushes: Promise<void>[] = []
    let count = 0
    for (let round = 0; round < 60; round++) {
      for (let k = 0; k < round % 7; k++) log.append({ type: 'step', i: ++count })
      flushes.push(log.flush().then(() => void resolved.push(round)))
      if (round % 10 === 0) await Promise.resolve()
    }
    // A flush resolves only once what was appended before it is in the file, even behind other flushes.
    log.append({ type: 'step', i: ++count })
    const pending = log.flush()
    log.append({ type: 'step', i: ++count })
    await log.flush()
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(count)
    await Promise.all([...flushes, pending])
    expect(resolved).toEqual([...Array(60).keys()])
    await log.close()
    const { events } = await readEventLog(file)
    expect(seqs(events)).toEqual([...Array(count).keys()].map((n) => n + 1))
    expect(events.map((e) => e['i'])).toEqual(seqs(events))
  })

  it('reads lines across chunk boundaries, multi-byte characters included', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const log = await EventLog.open(file)
    const texts = ['é', '😀 emoji', 'line\nbreak', 'sep\u2028arator', '日本語のテキスト', 'x'.repeat(200)]
    for (const text of texts) log.append({ type: 'text', text })
    await log.close()
    for (const chunkBytes of [1, 7, 64, 1024]) {
      const { events, torn } = await readEventLog(file, { chunkBytes })
      expect(torn).toBe(false)
      expect(events.map((e) => e['text'])).toEqual(texts)
    }
  })

  it('creates a new log at its first write: appends are numbered at once and written in order once it exists', async () => {
    const file = join(await tempDir(), 'runs', 'r1', 'events.jsonl')
    let prepared = false
    const log = EventLog.create(file, { prepare: () => void (prepared = true) })
    expect(log.append({ type: 'first' }).seq).toBe(1)
    expect(log.append({ type: 'second' }).seq).toBe(2)
    expect(prepared).toBe(false)
    expect(existsSync(file)).toBe(false)
    await new Promise((resolve) => setImmediate(resolve)) // the write scheduled after this turn
    expect(prepared).toBe(true)
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(2)
    log.append({ type: 'third' })
    await log.close()
    const { events } = await readEventLog(file)
    expect(events.map((e) => e.type)).toEqual(['first', 'second', 'third'])
  })

  it('never writes a created log over an existing file, and says so at the next flush', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    await writeFile(file, `${line(1)}\n`)
    const log = EventLog.create(file)
    log.append({ type: 'intruder' })
    const error = await rejection(log.flush())
    expect(error).toMatchObject({ code: 'EVENT_LOG_IO', kind: 'external' })
    expect(error.message).toMatch(/EEXIST/)
    expect(log.error).toBe(error)
    expect(await readFile(file, 'utf8')).toBe(`${line(1)}\n`)
    await rejection(log.close())
  })

  it('creates nothing when its preparation fails, and hands that error to the next flush', async () => {
    const dir = await tempDir()
    const refused = userError('RUN_LOCKED', 'run r1 is being driven by process 1', 'Wait for it.')
    const log = EventLog.create(join(dir, 'r1', 'events.jsonl'), {
      prepare: () => {
        throw refused
      },
    })
    const broken: unknown[] = []
    log.onBreak = (error) => broken.push(error)
    log.append({ type: 'never written' })
    expect(await rejection(log.flush())).toBe(refused)
    expect(broken).toEqual([refused])
    await rejection(log.close())
    expect(existsSync(join(dir, 'r1'))).toBe(false)
  })

  // Every write to /dev/full (Linux) fails with ENOSPC.
  it.runIf(existsSync('/dev/full'))(
    'surfaces a write error from flush(), also one from a background flush',
    async () => {
      const log = await EventLog.open('/dev/full')
      const broken: unknown[] = []
      log.onBreak = (error) => broken.push(error)
      log.append({ type: 'lost' })
      await new Promise((r) => setTimeout(r, 50)) // the scheduled flush runs and fails
      expect(broken).toHaveLength(1) // told at once, not at the next flush
      const error = await rejection(log.flush())
      expect(broken).toEqual([error]) // and only once
      expect(error).toMatchObject({ code: 'EVENT_LOG_IO', kind: 'external' })
      expect(error.message).toContain('/dev/full')
      log.append({ type: 'also lost' })
      expect((await rejection(log.flush())).code).toBe('EVENT_LOG_IO')
      expect((await rejection(log.close())).code).toBe('EVENT_LOG_IO')
    },
  )

  it.runIf(existsSync('/dev/null'))(
    'syncs on request: a file the system cannot sync breaks the log at sync(), not at a flush',
    async () => {
      // Writes to /dev/null succeed; fdatasync on it fails (EINVAL).
      const log = await EventLog.open('/dev/null')
      const breaks: string[] = []
      log.onBreak = (error) => breaks.push(error.code)
      log.append({ type: 'written' })
      await log.flush()
      expect(breaks).toEqual([])
      const error = await rejection(log.sync())
      expect(error).toMatchObject({ code: 'EVENT_LOG_IO', kind: 'external' })
      expect(error.message).toMatch(/Could not sync the event log \/dev\/null/)
      expect(breaks).toEqual(['EVENT_LOG_IO'])
      expect((await rejection(log.close())).code).toBe('EVENT_LOG_IO')
    },
  )

  it.runIf(existsSync('/dev/full'))(
    'surfaces a failure of the last write, made as the log closes',
    async () => {
      const log = await EventLog.open('/dev/full')
      log.append({ type: 'lost' }) // closed at once: the scheduled flush never runs, close writes it
      const error = await rejection(log.close())
      expect(error).toMatchObject({ code: 'EVENT_LOG_IO', kind: 'external' })
      expect(error.message).toMatch(/\/dev\/full.*ENOSPC/)
      expect(await rejection(log.close())).toBe(error) // a second close answers the same
    },
  )
})

describe('readEventLog and torn lines', () => {
  it('tolerates a torn last line, and open() cuts it off so the next append is readable', async () => {
    const file = await logWith(3)
    await appendFile(file, '{"v":1,"seq":4,"ts":"2025-01-01T00:00:00.000Z","ty')
    expect(await readEventLog(file)).toMatchObject({ torn: true, events: { length: 3 } })
    const log = await EventLog.open(file)
    expect(log.lastSeq).toBe(3)
    log.append({ type: 'step', i: 4 })
    await log.close()
    const { events, torn } = await readEventLog(file)
    expect(torn).toBe(false)
    expect(events.map((e) => e['i'])).toEqual([1, 2, 3, 4])
  })

  it('treats a complete last line without its newline as torn: its write never finished', async () => {
    const file = await logWith(2)
    await appendFile(file, line(3))
    expect(seqs((await readEventLog(file)).events)).toEqual([1, 2])
    const log = await EventLog.open(file)
    expect(log.lastSeq).toBe(2)
    await log.close()
    expect(await readFile(file, 'utf8')).not.toContain('"seq":3')
  })

  it('treats a newline-terminated last line that is not JSON as torn', async () => {
    const file = await logWith(2)
    await appendFile(file, '\0\0\0\0\n')
    expect(await readEventLog(file)).toMatchObject({ torn: true, events: { length: 2 } })
    const log = await EventLog.open(file)
    log.append({ type: 'step', i: 3 })
    await log.close()
    expect(await readEventLog(file)).toMatchObject({ torn: false, events: { length: 3 } })
  })

  it.each([
    ['a line that is not JSON', `${line(1)}\n${line(2)}\nnot json\n${line(4)}\n`, 3, 'not valid JSON'],
    ['a bad line followed by a torn one', `${line(1)}\n{"v":1,"se\n{"v":1`, 2, 'not valid JSON'],
    ['a gap in seq', `${line(1)}\n${line(2)}\n${line(4)}\n`, 3, 'expected 3'],
    ['a line that is no event', `${line(1)}\n[1,2]\n`, 2, 'not a JSON object'],
    ['an unknown version', `${line(1)}\n${line(2).replace('"v":1', '"v":2')}\n`, 2, 'version'],
  ])('reports %s as EVENT_LOG_CORRUPT with its line number', async (_, text, lineNumber, reason) => {
    const file = join(await tempDir(), 'events.jsonl')
    await writeFile(file, text)
    const error = await rejection(readEventLog(file))
    expect(error).toMatchObject({ code: 'EVENT_LOG_CORRUPT', kind: 'user' })
    expect(error.message).toContain(file)
    expect(error.message).toContain(`line ${lineNumber}`)
    expect(error.message).toContain(reason)
    expect(error.hint).toContain(`first ${lineNumber - 1} lines`)
  })

  it('refuses to open a log for appending when it cannot tell where the good part ends', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    await writeFile(file, `${line(1)}\ngarbage\n{"v":1,"se`)
    expect((await rejection(EventLog.open(file))).code).toBe('EVENT_LOG_CORRUPT')
  })

  it('reports a missing file as EVENT_LOG_MISSING', async () => {
    const file = join(await tempDir(), 'nope', 'events.jsonl')
    const error = await rejection(readEventLog(file))
    expect(error).toMatchObject({ code: 'EVENT_LOG_MISSING', kind: 'user' })
    expect(error.message).toContain(file)
  })

  it('reads an empty log as no events', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    await writeFile(file, '')
    expect(await readEventLog(file)).toEqual({ events: [], torn: false })
  })
})

describe('a crash while appending', () => {
  it('leaves a readable prefix of the events, in order, after SIGKILL', async () => {
    const dir = await tempDir()
    const file = join(dir, 'events.jsonl')
    const script = join(dir, 'child.mts')
    const moduleUrl = pathToFileURL(join(root, 'src/core/run/event-log.ts')).href
    await writeFile(
      script,
      [
        `import { EventLog } from ${JSON.stringify(moduleUrl)}`,
        `const log = await EventLog.open(process.argv[2])`,
        `for (let i = 1; ; ) {`,
        `  for (let k = 0; k < 300; k++, i++) log.append({ type: 'step', i, pad: 'x'.repeat(i % 500) })`,
        `  await log.flush()`,
        `  process.stdout.write(String(i - 1) + '\\n')`,
        `}`,
      ].join('\n'),
    )
    // tsx is resolved from the repository, so the child runs there; the script itself lives in the temp dir.
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], { cwd: root })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    let flushed = 0
    child.stdout.on('data', (chunk: Buffer) => {
      const reports = chunk.toString().trim().split('\n')
      flushed = Math.max(flushed, Number(reports.at(-1)))
    })
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_, signal) => done(signal)))
    const acknowledged = await waitFor(() => (flushed >= 30_000 ? flushed : undefined), 15_000, stderr)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    const { events } = await readEventLog(file)
    expect(events.length).toBeGreaterThanOrEqual(acknowledged)
    events.forEach((event, index) => {
      expect(event.seq).toBe(index + 1)
      expect(event['i']).toBe(index + 1)
    })
    const log = await EventLog.open(file)
    expect(log.lastSeq).toBe(events.length)
    log.append({ type: 'resumed' })
    await log.close()
    expect(await readEventLog(file)).toMatchObject({ torn: false, events: { length: events.length + 1 } })
  })
})
