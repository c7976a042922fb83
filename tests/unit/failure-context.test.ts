import { describe, expect, it } from 'vitest'
import { failureContext } from '../../src/core/run/routing.js'
import type { StageSpec } from '../../src/core/workflow/types.js'

const stage = (id: string, contract: string, pass_when?: string): StageSpec => ({
  id,
  agent: 'someone',
  contract,
  depends_on: [],
  ...(pass_when ? { pass_when } : {}),
})

describe('failureContext', () => {
  it('reads the failure by the stage contract, whatever the stage is called', () => {
    const output = {
      verdict: 'reject',
      summary: 'the limiter ignores the client IP',
      comments: [{ file: 'src/login.ts', line: 12, severity: 'major', message: 'key on IP too' }],
    }
    const context = failureContext(stage('code-review', 'review'), output, 2)
    expect(context).toEqual({
      source_stage: 'code-review',
      summary: 'the limiter ignores the client IP',
      review_comments: [{ file: 'src/login.ts', line: 12, severity: 'major', message: 'key on IP too' }],
      attempt: 2,
    })
  })

  it('sums up an output of another contract by the condition it failed and its summary, not its text', () => {
    const output = { requirements: [{ id: 'REQ-1', title: 'x'.repeat(2000) }], summary: 'no open questions' }
    const spec = stage('check', 'requirements', 'has(output.open_questions)')
    expect(failureContext(spec, output, 1).summary).toBe(
      'check did not pass (pass_when: has(output.open_questions)): no open questions',
    )
    expect(failureContext(stage('check', 'requirements'), { requirements: [] }, 1).summary).toBe(
      'check did not pass',
    )
  })
})
