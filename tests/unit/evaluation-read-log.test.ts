import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readScoredEvents } from '../../src/core/evaluation/read-log.js'
import { EventLog, readEventLog } from '../../src/core/run/event-log.js'
import { rejection } from '../helpers/rejection.js'
import { tempDir } from '../helpers/temp.js'

const big = { text: 'x'.repeat(5000), nested: { stage: 'not this one', visit: 99 } }

async function writtenLog(): Promise<string> {
  const file = join(await tempDir(), 'events.jsonl')
  const log = await EventLog.open(file)
  log.append({ type: 'stage.started', stage: 'review', agent: 'reviewer', visit: 2 })
  log.append({ type: 'agent.attempt_started', agent: 'reviewer', stage: 'review', attempt: 1, model: 'm' })
  log.append({ type: 'agent.tool_called', agent: 'reviewer', stage: 'review', attempt: 1, tool: 'read_file' })
  log.append({
    type: 'effect.recorded',
    stage: 'review',
    agent: 'reviewer',
    kind: 'changeset',
    diff: 'd'.repeat(9000),
  })
  log.append({ type: 'stage.passed', stage: 'review', agent: 'reviewer', visit: 2, output: big })
  log.append({
    type: 'gate.requested',
    gate_id: 'g-1',
    stage: 'review',
    agent: 'reviewer',
    visit: 2,
    output: big,
    summary: 's',
  })
  log.append({
    type: 'gate.answered',
    gate_id: 'g-1',
    decision: 'approve',
    by: 'cli',
    next: { kind: 'rerun', stage: 'review', feedback: 'f' },
  })
  await log.close()
  return file
}

describe('readScoredEvents', () => {
  it('skips the lines the evaluation ignores and reads only the head of outputs', async () => {
    const file = await writtenLog()
    const events = await readScoredEvents(file)
    expect(events.map((e) => e.type)).toEqual([
      'stage.started',
      'agent.attempt_started',
      'stage.passed',
      'gate.requested',
      'gate.answered',
    ])
    expect(events[2]).toEqual({
      type: 'stage.passed',
      stage: 'review',
      agent: 'reviewer',
      visit: 2,
      output: undefined,
    })
    expect(events[3]).toMatchObject({
      type: 'gate.requested',
      gate_id: 'g-1',
      stage: 'review',
      agent: 'reviewer',
      visit: 2,
    })
    const { events: full } = await readEventLog(file)
    expect(events[4]).toEqual(full[6])
    expect(events[1]).toEqual(full[1])
  })

  it('parses a line whole when its fields are not where the writer puts them', async () => {
    const file = join(await tempDir(), 'events.jsonl')
    const lines = [
      {
        v: 1,
        seq: 1,
        ts: '2025-01-01T00:00:00.000Z',
        type: 'stage.passed',
        visit: 1,
        stage: 'a',
        agent: 'b',
        output: 1,
      },
      {
        v: 1,
        seq: 2,
        ts: '2025-01-01T00:00:00.000Z',
        type: 'stage.passed',
        stage: 'q"uote',
        agent: 'b',
        visit: 3,
        output: 2,
      },
      {
        type: 'stage.passed',
        v: 1,
        seq: 3,
        ts: '2025-01-01T00:00:00.000Z',
        stage: 'c',
        agent: 'd',
        visit: 4,
      },
    ]
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
    const events = await readScoredEvents(file)
    expect(events.map((e) => (e.type === 'stage.passed' ? [e.stage, e.visit] : []))).toEqual([
      ['a', 1],
      ['q"uote', 3],
      ['c', 4],
    ])
  })

  it('leaves out a torn last line and refuses a damaged line it reads', async () => {
    const file = await writtenLog()
    const ts = '"ts":"2025-01-01T00:00:00.000Z"'
    await appendFile(file, `{"v":1,"seq":8,${ts},"type":"stage.started","sta`)
    expect(await readScoredEvents(file)).toHaveLength(5)
    // Lines of types it does not read are skipped unchecked.
    await appendFile(file, `\n{"v":1,"seq":9,${ts},"type":"effect.recorded",`)
    await appendFile(
      file,
      `\n{"v":1,"seq":10,${ts},"type":"stage.started","stage":"a","agent":"b","visit":1}\n`,
    )
    const error = await rejection(readScoredEvents(file))
    expect(error).toMatchObject({ code: 'EVENT_LOG_CORRUPT' })
    expect(String(error)).toContain('line 8')
  })
})
