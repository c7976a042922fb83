import { render } from 'ink-testing-library'
import { createElement } from 'react'
import { describe, expect, it } from 'vitest'
import { Dag } from '../../src/ui/panels/Dag.js'
import type { StageView } from '../../src/ui/store/types.js'

function stage(id: string, depends_on: string[], status: StageView['status']): StageView {
  const ran = status !== 'pending' && status !== 'skipped'
  return {
    id,
    agent: `${id}er`,
    depends_on,
    status,
    visit: ran ? 1 : 0,
    started_at: status === 'running' ? 0 : undefined,
    duration_ms: ran && status !== 'running' ? 4_200 : undefined,
    reopened: 0,
  }
}

const stages = [
  stage('plan', [], 'passed'),
  stage('build', ['plan'], 'running'),
  stage('lint', ['plan'], 'failed'),
  stage('docs', ['plan'], 'awaiting_gate'),
  stage('test', ['build', 'lint'], 'skipped'),
  stage('ship', ['test', 'docs'], 'pending'),
]

describe('Dag', () => {
  it('renders every stage with its status glyph', () => {
    const { lastFrame, unmount } = render(createElement(Dag, { stages, width: 80, now: 1_500, frame: 2 }))
    const frame = lastFrame() ?? ''
    for (const s of stages) expect(frame).toContain(s.id)
    for (const glyph of ['✓', '⠹', '✗', '⏸', '–', '○', '►']) expect(frame).toContain(glyph)
    expect(frame).toContain('builder #1 1.5s')
    expect(frame).toContain('planer #1 4.2s')
    unmount()
  })

  it('says so when there is no workflow', () => {
    const { lastFrame, unmount } = render(createElement(Dag, { stages: [], width: 80, now: 0, frame: 0 }))
    expect(lastFrame()).toContain('no workflow yet')
    unmount()
  })
})
