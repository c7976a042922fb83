import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { Provider } from '../../src/core/providers/types.js'
import { startRun } from '../../src/core/run/driver.js'
import { EventLog } from '../../src/core/run/event-log.js'
import { runPaths } from '../../src/core/run/paths.js'
import { rejection } from '../helpers/rejection.js'
import { tempDir } from '../helpers/temp.js'
import { instantProvider, tinyProject } from '../helpers/tiny-project.js'

const OPTIONS = { provider: 'scripted', script: undefined, approve: 'auto' } as const

/** A provider whose calls only end when they are cancelled; it counts them and their cancellations. */
function hangingProvider(): Provider & { calls: number; cancelled: number } {
  const provider = {
    name: 'scripted' as const,
    calls: 0,
    cancelled: 0,
    complete: ({ signal }: { signal?: AbortSignal }) => {
      provider.calls++
      return new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => {
          provider.cancelled++
          reject(new Error('cancelled'))
        }),
      )
    },
  }
  return provider
}

const chain = [
  { id: 'first', depends_on: [] },
  { id: 'second', depends_on: ['first'] },
]

describe('starting a run', () => {
  it('refuses a run whose lock a live process holds, stops its first call, and leaves that lock alone', async () => {
    const dir = await tempDir()
    const provider = hangingProvider()
    const deps = await tinyProject(dir, chain, 2, provider)
    const paths = runPaths(dir, 'r-held')
    await mkdir(join(paths.lock, '..'), { recursive: true })
    // The parent of this process is alive for as long as the test runs.
    await writeFile(paths.lock, `${process.ppid}\n`)
    const error = await rejection(startRun('a requirement', OPTIONS, deps, 'r-held'))
    expect(error).toMatchObject({ code: 'RUN_LOCKED' })
    expect(error.message).toContain(`process ${process.ppid}`)
    expect(await readFile(paths.lock, 'utf8')).toBe(`${process.ppid}\n`)
    expect(existsSync(paths.events)).toBe(false)
    expect(provider.calls).toBeLessThanOrEqual(1)
    expect(provider.cancelled).toBe(provider.calls)
  })

  it('fails with EVENT_LOG_IO when the run directory cannot be made, and leaves no lock behind', async () => {
    const dir = await tempDir()
    const provider = hangingProvider()
    const deps = await tinyProject(dir, chain, 2, provider)
    // A file where the runs directory should be: nothing can be created under it.
    await mkdir(join(dir, '.macds'), { recursive: true })
    await writeFile(join(dir, '.macds', 'runs'), 'not a directory')
    const error = await rejection(startRun('a requirement', OPTIONS, deps, 'r-blocked'))
    expect(error).toMatchObject({ code: 'EVENT_LOG_IO', kind: 'external' })
    expect(error.message).toMatch(/ENOTDIR|EEXIST/)
    expect(error.hint).toMatch(/disk|writable/)
    expect(provider.cancelled).toBe(provider.calls)
    expect(await readFile(join(dir, '.macds', 'runs'), 'utf8')).toBe('not a directory')
  })

  it('makes the log durable before the target moves: the planned move is synced, then made', async () => {
    const dir = await tempDir()
    const deps = await tinyProject(dir, chain, 2, instantProvider())
    const order: string[] = []
    const sync = vi.spyOn(EventLog.prototype, 'sync')
    sync.mockImplementation(async function (this: EventLog) {
      order.push('synced')
      await this.flush()
    })
    try {
      const plan = { target: 'main', from: 'a'.repeat(40), to: 'b'.repeat(40), strategy: 'commits' as const }
      const workspace = {
        ...deps.workspace,
        integrate: async ({ planned }: { planned: (p: typeof plan) => Promise<void> }) => {
          await planned(plan)
          // The move, as the git workspace makes it: the plan must already be in the log.
          const log = readFileSync(runPaths(dir, 'r-sync').events, 'utf8')
          order.push(log.includes('"type":"integration.started"') ? 'moved after the plan' : 'moved blind')
          return { status: 'merged' as const, plan, message: 'merged' }
        },
      }
      const { state } = await startRun('a requirement', OPTIONS, { ...deps, workspace }, 'r-sync')
      expect(state.status).toBe('passed')
      expect(order).toEqual(['synced', 'moved after the plan'])
    } finally {
      sync.mockRestore()
    }
  })
})
