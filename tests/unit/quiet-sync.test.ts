import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { QuietSync } from '../../src/core/run/quiet-sync.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A descriptor no process can have open (far above any open-file limit): fdatasync on it fails with
 * EBADF, so a sync that was attempted shows up as an error, and one that was not, as none.
 */
const NOT_OPEN = 2 ** 30
/** A short quiet period, for the tests that wait for it. */
const QUIET_MS = 5

describe('QuietSync', () => {
  it('syncs once writing has paused, and reports a failed sync once', async () => {
    const errors: string[] = []
    const sync = new QuietSync(NOT_OPEN, (error) => errors.push(error.code ?? ''), QUIET_MS)
    sync.written()
    expect(errors).toEqual([])
    await sleep(QUIET_MS * 10)
    expect(errors).toEqual(['EBADF'])
    // Broken for good: later writes start no sync.
    sync.written()
    await sleep(QUIET_MS * 10)
    expect(errors).toEqual(['EBADF'])
  })

  it('does not sync while writes keep coming', async () => {
    const errors: string[] = []
    // A long quiet period, against writes every few milliseconds: only a stalled machine pauses that long.
    const sync = new QuietSync(NOT_OPEN, (error) => errors.push(error.code ?? ''), 200)
    for (let i = 0; i < 100; i++) {
      sync.written()
      await sleep(4)
    }
    expect(errors).toEqual([])
    await sleep(400)
    expect(errors).toEqual(['EBADF'])
  })

  it('never syncs after stop, which waits for a sync in flight', async () => {
    const errors: string[] = []
    const stopped = new QuietSync(NOT_OPEN, (error) => errors.push(error.code ?? ''), QUIET_MS)
    stopped.written()
    await stopped.stop()
    await sleep(QUIET_MS * 10)
    expect(errors).toEqual([])

    const file = join(tmpdir(), `macds-quiet-sync-${process.pid}-real`)
    const fd = openSync(file, 'w')
    try {
      const real = new QuietSync(fd, (error) => errors.push(error.code ?? ''), QUIET_MS)
      writeSync(fd, 'a line\n')
      real.written()
      await sleep(QUIET_MS * 3)
      // Whether or not its sync is still running, the descriptor may be closed once stop resolves.
      await real.stop()
    } finally {
      closeSync(fd)
      rmSync(file)
    }
    expect(errors).toEqual([])
  })
})
