import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PipelineStep } from '../../src/core/config/workspace-types.js'
import { type PipelineOptions, runPipeline } from '../../src/core/pipeline/index.js'
import { gitRepo, nodeStep } from '../fixtures/pipeline/setup.js'
import { tempDir } from '../helpers/temp.js'

async function run(steps: PipelineStep[], extra: Partial<PipelineOptions> = {}, env: string[] = []) {
  const cwd = await gitRepo()
  const logDir = join(await tempDir(), 'logs')
  return runPipeline({ steps, env }, { cwd, changed: 'all', logDir, ...extra })
}

describe('the environment of pipeline commands', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const name of ['OPENAI_API_KEY', 'FOO_TOKEN', 'NODE_OPTIONS', 'EXTRA_SETTING']) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })

  const printEnv = nodeStep('test', 'console.log(JSON.stringify(process.env))')

  it('holds the allowlist and never an API key or token', async () => {
    process.env.OPENAI_API_KEY = 'sk-test-0123456789abcdefghij'
    process.env.FOO_TOKEN = 'foo-token-value-123'
    process.env.EXTRA_SETTING = 'extra'
    const report = await run([printEnv])
    const env = JSON.parse(report.results[0]?.output_tail ?? '{}') as Record<string, string>
    expect(env.OPENAI_API_KEY).toBeUndefined()
    expect(env.FOO_TOKEN).toBeUndefined()
    expect(env.EXTRA_SETTING).toBeUndefined()
    expect(env.PATH).toBe(process.env.PATH)
    expect(env.HOME).toBe(process.env.HOME)
    expect(env.CI).toBe('true')
    expect(report.warnings).toEqual([])
  })

  it('passes listed names; a secret-named one with a warning and its value masked', async () => {
    process.env.FOO_TOKEN = 'foo-token-value-123'
    process.env.EXTRA_SETTING = 'extra'
    const report = await run([printEnv], {}, ['EXTRA_SETTING', 'FOO_TOKEN', 'NOT_SET_ANYWHERE'])
    const tail = report.results[0]?.output_tail ?? ''
    const env = JSON.parse(tail) as Record<string, string>
    expect(env.EXTRA_SETTING).toBe('extra')
    expect(env.FOO_TOKEN).toBe('[REDACTED]')
    expect(tail).not.toContain('foo-token-value-123')
    expect(await readFile(report.results[0]?.log ?? '', 'utf8')).not.toContain('foo-token-value-123')
    expect(report.warnings).toEqual([expect.stringMatching(/FOO_TOKEN, which looks like a secret/)])
  })

  it('applies the caller redaction to tails and logs', async () => {
    const report = await run([nodeStep('test', 'console.log("the word is swordfish")')], {
      redact: (text) => text.replace(/swordfish/g, '[REDACTED]'),
    })
    expect(report.results[0]?.output_tail).toBe('the word is [REDACTED]')
    expect(await readFile(report.results[0]?.log ?? '', 'utf8')).not.toContain('swordfish')
  })
})
