import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { EventLog, readEventLog, replayEventLog } from '../../src/core/run/event-log.js'

const APPENDED = 300_000
const FLUSH_EVERY = 1000
const REPLAYED = 1_000_000

/** A representative event: about 260 bytes once logged (the brief asks for ~200; this errs on the slow side). */
function outputReceived(i: number) {
  return {
    type: 'agent.output_received',
    run_id: '2025-06-01T10-00-00-abc123',
    stage: 'architecture',
    agent: 'architect',
    attempt: 1 + (i % 3),
    usage: { prompt_tokens: 12_000 + (i % 977), completion_tokens: 3000 + (i % 311) },
    cost_usd: 0.0123 + (i % 100) / 10_000,
    chars: 15_000 + (i % 5000),
  }
}

async function appendAll(file: string, count: number): Promise<void> {
  const log = await EventLog.open(file)
  for (let i = 0; i < count; i++) {
    log.append(outputReceived(i))
    if ((i + 1) % FLUSH_EVERY === 0) await log.flush()
  }
  await log.close()
}

/**
 * Measures the event log: events appended per second (including flushing them to the file, a flush
 * every 1000 events), and the time to replay a log of 1,000,000 events: read and folded as they come
 * (`replayEventLog`, the way a state is rebuilt from a long log), and, for comparison, read into one
 * array first (`readEventLog`). Writes its files under `dir` and removes them afterwards. Targets:
 * >= 250,000 events/s and < 2000 ms.
 */
export async function benchEventLog(
  dir: string,
): Promise<{ appendPerSecond: number; replayMsFor1M: number; keptMsFor1M: number }> {
  await mkdir(dir, { recursive: true })
  const warmFile = join(dir, 'warm-up.jsonl')
  const appendFile = join(dir, 'append.jsonl')
  const replayFile = join(dir, 'replay.jsonl')
  const files = [warmFile, appendFile, replayFile]
  try {
    await Promise.all(files.map((file) => rm(file, { force: true })))
    await appendAll(warmFile, 20_000)

    const appendStart = performance.now()
    await appendAll(appendFile, APPENDED)
    const appendPerSecond = APPENDED / ((performance.now() - appendStart) / 1000)

    await appendAll(replayFile, REPLAYED)
    // A fold of every event, as a replay does (here of the characters each answer had).
    let replayed = 0
    let chars = 0
    const replayStart = performance.now()
    await replayEventLog(replayFile, (event) => {
      replayed++
      chars += event['chars'] as number
    })
    const replayMsFor1M = performance.now() - replayStart
    if (replayed !== REPLAYED || chars <= 0) throw new Error('the replayed log is incomplete')
    const keptStart = performance.now()
    const { events } = await readEventLog(replayFile)
    let keptChars = 0
    for (const event of events) keptChars += event['chars'] as number
    const keptMsFor1M = performance.now() - keptStart
    if (keptChars !== chars) throw new Error('the log read whole differs from the replay')
    return { appendPerSecond, replayMsFor1M, keptMsFor1M }
  } finally {
    await Promise.all(files.map((file) => rm(file, { force: true })))
  }
}
