import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PipelineStep } from '../../src/core/config/workspace-types.js'
import { runPipeline } from '../../src/core/pipeline/index.js'
import { alive, gitRepo, NODE, pidIn, step } from '../fixtures/pipeline/setup.js'
import { tempDir, waitFor } from '../helpers/temp.js'

const GRACE_MS = 500

async function run(steps: PipelineStep[], signal?: AbortSignal) {
  const cwd = await gitRepo()
  const logDir = join(await tempDir(), 'logs')
  return runPipeline({ steps, env: [] }, { cwd, changed: 'all', logDir, signal, killGraceMs: GRACE_MS })
}

/** A shell that starts `sleep` in the background, writes its pid to `pidFile` and waits. */
function hangingShell(pidFile: string, prelude = ''): string[] {
  return ['sh', '-c', `${prelude} sleep 100 & echo $! > '${pidFile}'; wait`]
}

describe('a step that runs too long', () => {
  it('is killed with its whole process group', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const started = Date.now()
    const report = await run([step('test', hangingShell(pidFile), { timeout_ms: 500 })])
    expect(Date.now() - started).toBeLessThan(500 + GRACE_MS + 1500)
    expect(report.passed).toBe(false)
    expect(report.results[0]).toMatchObject({ exit_code: -1, timed_out: true })
    expect(report.results[0]?.output_tail).toMatch(/^macds: timed out after 500 ms/)
    const grandchild = pidIn(pidFile)
    expect(grandchild).toBeDefined()
    expect(alive(grandchild ?? 0)).toBe(false)
  })

  it('is killed with SIGKILL after the grace time when it ignores SIGTERM', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const started = Date.now()
    const report = await run([step('test', hangingShell(pidFile, 'trap "" TERM;'), { timeout_ms: 300 })])
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(300 + GRACE_MS - 50)
    expect(elapsed).toBeLessThan(300 + GRACE_MS + 1500)
    expect(report.results[0]).toMatchObject({ exit_code: -1, timed_out: true })
    expect(alive(pidIn(pidFile) ?? 0)).toBe(false)
  })
})

describe('a step that leaves a process behind', () => {
  it('finishes when its command exits, and the process left behind is killed', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const script = `const c = require("child_process").spawn("sleep", ["100"], { stdio: "inherit" });
      require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); console.log("done"); process.exit(0)`
    const started = Date.now()
    const report = await run([step('build', [NODE, '-e', script], { timeout_ms: 10_000 })])
    expect(Date.now() - started).toBeLessThan(3000)
    expect(report.results[0]).toMatchObject({ exit_code: 0, timed_out: false, output_tail: 'done' })
    expect(alive(pidIn(pidFile) ?? 0)).toBe(false)
  })

  it('does not hang when the process left its group and holds the output open', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const started = Date.now()
    const report = await run([
      step('build', ['sh', '-c', `setsid sleep 6 & echo $! > '${pidFile}'; echo started`], {
        timeout_ms: 10_000,
      }),
    ])
    try {
      expect(Date.now() - started).toBeLessThan(5000)
      expect(report.results[0]).toMatchObject({ exit_code: 0, output_tail: 'started' })
    } finally {
      const escaped = pidIn(pidFile)
      if (escaped !== undefined && alive(escaped)) process.kill(escaped, 'SIGKILL')
    }
  })
})

describe('cancelling a pipeline', () => {
  it('kills the running process group and rejects with the abort reason', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const controller = new AbortController()
    const started = Date.now()
    const running = run([step('test', hangingShell(pidFile), { timeout_ms: 60_000 })], controller.signal)
    const grandchild = await waitFor(() => pidIn(pidFile), 5000, 'the background process')
    expect(alive(grandchild)).toBe(true)
    controller.abort(new Error('cancelled by the user'))
    await expect(running).rejects.toThrow('cancelled by the user')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(alive(grandchild)).toBe(false)
  })

  it('rejects at once when the signal is already aborted', async () => {
    await expect(run([step('test', ['true'])], AbortSignal.abort(new Error('too late')))).rejects.toThrow(
      'too late',
    )
  })
})
