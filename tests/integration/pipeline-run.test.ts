import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PipelineStep } from '../../src/core/config/workspace-types.js'
import { flakySteps, type PipelineEvent, runPipeline } from '../../src/core/pipeline/index.js'
import { gitRepo, NODE, nodeStep, step } from '../fixtures/pipeline/setup.js'
import { tempDir } from '../helpers/temp.js'

async function run(
  steps: PipelineStep[],
  extra: Partial<Parameters<typeof runPipeline>[1]> = {},
  env: string[] = [],
) {
  const cwd = extra.cwd ?? (await gitRepo())
  const logDir = join(await tempDir(), 'logs')
  return runPipeline({ steps, env }, { cwd, changed: 'all', logDir, ...extra })
}

describe('runPipeline', () => {
  it('runs every step in order and passes when each exits 0', async () => {
    const events: PipelineEvent[] = []
    const report = await run(
      [nodeStep('lint', 'console.log("lint ok")'), nodeStep('test', 'console.log("ok 1 - adds")')],
      { onStep: (event) => events.push(event) },
    )
    expect(report.passed).toBe(true)
    expect(report.pipeline.map((s) => s.name)).toEqual(['lint', 'test'])
    expect(report.results.map((r) => [r.name, r.exit_code, r.timed_out, r.output_tail])).toEqual([
      ['lint', 0, false, 'lint ok'],
      ['test', 0, false, 'ok 1 - adds'],
    ])
    expect(report.results[1]?.log).toMatch(/2-test\.log$/)
    expect(await readFile(report.results[1]?.log ?? '', 'utf8')).toContain('ok 1 - adds')
    expect(events.map((e) => `${e.type} ${e.step}`)).toEqual([
      'started lint',
      'finished lint',
      'started test',
      'finished test',
    ])
  })

  it('stops at the first failing step', async () => {
    const report = await run([
      nodeStep('lint', 'console.error("error: no semicolons"); process.exit(2)'),
      nodeStep('build', 'console.log("built")'),
    ])
    expect(report.passed).toBe(false)
    expect(report.pipeline.map((s) => s.name)).toEqual(['lint', 'build'])
    expect(report.results).toHaveLength(1)
    expect(report.results[0]).toMatchObject({
      name: 'lint',
      exit_code: 2,
      output_tail: 'error: no semicolons',
    })
  })

  it('reports a program that cannot be found as a failed step', async () => {
    const report = await run([step('lint', ['no-such-program-xyz', '--check'])])
    expect(report.passed).toBe(false)
    expect(report.results[0]?.exit_code).toBe(127)
    expect(report.results[0]?.output_tail).toBe(
      'macds: program `no-such-program-xyz` not found: check pipeline.lint.command in macds.yaml',
    )
  })

  it('uses a shell only when the step asks for one', async () => {
    const report = await run([
      step('lint', ['echo', '$HOME', '&&', 'echo', 'two']),
      step('test', ['echo "$HOME" && echo two'], { shell: true }),
    ])
    expect(report.results[0]?.output_tail).toBe('$HOME && echo two')
    expect(report.results[1]?.output_tail).toBe(`${process.env.HOME}\ntwo`)
    expect(report.pipeline[1]?.command).toEqual(['sh', '-c', 'echo "$HOME" && echo two'])
  })

  it('skips a step whose when_changed globs match no changed path', async () => {
    const steps = [
      nodeStep('install', 'console.log("installed")', {
        when_changed: ['package.json', '**/package-lock.json'],
      }),
      nodeStep('test', 'console.log("tested")'),
    ]
    const skipped = await run(steps, { changed: ['src/a.ts'] })
    expect(skipped.skipped).toEqual(['install'])
    expect(skipped.pipeline.map((s) => s.name)).toEqual(['test'])
    expect(skipped.results.map((r) => r.name)).toEqual(['test'])
    expect(skipped.passed).toBe(true)

    const ran = await run(steps, { changed: ['web/package-lock.json'] })
    expect(ran.skipped).toEqual([])
    expect(ran.results.map((r) => r.name)).toEqual(['install', 'test'])
  })

  it('reports the files a step rewrote', async () => {
    const cwd = await gitRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' })
    await writeFile(join(cwd, 'b.txt'), 'b changed before\n')
    await writeFile(join(cwd, 'c.txt'), 'c changed before\n')
    const format = nodeStep(
      'format',
      'const fs = require("fs"); fs.writeFileSync("a.txt", "A\\n"); fs.writeFileSync("b.txt", "B\\n"); fs.writeFileSync("new.txt", "n")',
    )
    const report = await run([format, nodeStep('lint', 'console.log("clean")')], { cwd })
    expect(report.results[0]?.rewrote).toEqual(['a.txt', 'b.txt', 'new.txt'])
    expect(report.results[1]?.rewrote).toBeUndefined()
    expect(report.warnings).toEqual([])
  })

  it('warns that rewrites go unseen outside a git work tree', async () => {
    const report = await run([nodeStep('test', '')], { cwd: await tempDir() })
    expect(report.passed).toBe(true)
    expect(report.warnings[0]).toMatch(/not a git work tree/)
  })
})

describe('a failing test step', () => {
  /** Fails the first time (leaving a marker), passes every time after. */
  async function flakyTest() {
    const marker = join(await tempDir(), 'ran-once')
    const script = `const fs = require("fs"); if (!fs.existsSync(${JSON.stringify(marker)})) {
      fs.writeFileSync(${JSON.stringify(marker)}, ""); console.log("not ok 1 - sometimes"); process.exit(1) }
      console.log("ok 1 - sometimes")`
    return nodeStep('test', script)
  }

  it('that passes when run again is recorded as flaky and passes', async () => {
    const report = await run([await flakyTest()])
    expect(report.passed).toBe(true)
    expect(report.results[0]).toMatchObject({ exit_code: 0, flaky: true, timed_out: false })
    expect(report.results[0]?.output_tail).toMatch(/recorded as flaky[\s\S]*not ok 1 - sometimes[\s\S]*ok 1/)
    expect(flakySteps(report)).toEqual(['test'])
  })

  it('that was flaky in the previous run too fails', async () => {
    const report = await run([await flakyTest()], { flakyBefore: ['test'] })
    expect(report.passed).toBe(false)
    expect(report.results[0]).toMatchObject({ exit_code: 1, flaky: true })
    expect(report.results[0]?.output_tail).toContain('flaky twice in a row')
  })

  it('that fails again fails, and both runs are in the log', async () => {
    const report = await run([nodeStep('test', 'console.log("not ok 1 - always"); process.exit(1)')])
    expect(report.passed).toBe(false)
    expect(report.results[0]?.flaky).toBeUndefined()
    expect(report.results[0]?.output_tail).toMatch(/failed twice/)
    const log = await readFile(report.results[0]?.log ?? '', 'utf8')
    expect(log.match(/^not ok 1 - always$/gm)).toHaveLength(2)
  })

  it('is not run again when another step fails', async () => {
    const report = await run([nodeStep('lint', 'console.log("x"); process.exit(1)')])
    const log = await readFile(report.results[0]?.log ?? '', 'utf8')
    expect(log.match(/^\$ /gm)).toHaveLength(1)
  })
})

describe('the output tail', () => {
  it('puts failing tests first and stays within the budget; the log keeps everything', async () => {
    const script = `console.log("TAP version 13"); console.log("not ok 3 - adds numbers");
      for (let i = 0; i < 5000; i++) console.log("ok " + (i + 10) + " - filler test with a long enough name");
      console.log("# fail 1")`
    const report = await run([nodeStep('build', script)], { outputChars: 1000 })
    const tail = report.results[0]?.output_tail ?? ''
    expect(tail.length).toBeLessThanOrEqual(1000)
    expect(tail.split('\n').slice(0, 2)).toEqual(['--- failures and errors ---', 'not ok 3 - adds numbers'])
    expect(tail.endsWith('# fail 1')).toBe(true)
    const log = await readFile(report.results[0]?.log ?? '', 'utf8')
    expect(log).toContain('ok 5009 - filler')
    expect(log.split('\n').length).toBeGreaterThan(5000)
  })

  it('keeps a long output without newlines within the budget', async () => {
    const report = await run([step('build', [NODE, '-e', 'process.stdout.write("x".repeat(300000))'])], {
      outputChars: 500,
    })
    expect(report.results[0]?.output_tail.length).toBeLessThanOrEqual(500)
  })
})
