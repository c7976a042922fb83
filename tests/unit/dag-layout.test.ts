import { describe, expect, it } from 'vitest'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'
import { formatDuration, layoutDag, type Row } from '../../src/ui/dag/layout.js'
import { statusMark } from '../../src/ui/dag/label.js'
import type { StageView } from '../../src/ui/store/types.js'

const NOW = 1_000_000

function stage(id: string, depends_on: string[], extra: Partial<StageView> = {}): StageView {
  return {
    id,
    agent: `agent_${id}`,
    depends_on,
    status: 'pending',
    visit: 0,
    started_at: undefined,
    duration_ms: undefined,
    reopened: 0,
    ...extra,
  }
}

const DEFAULT_STAGES: StageView[] = DEFAULT_WORKFLOW.stages.map((s, i) => ({
  ...stage(s.id, s.depends_on),
  agent: s.agent,
  status: i < 2 ? 'passed' : i === 2 ? 'running' : i === 5 ? 'awaiting_gate' : 'pending',
  visit: i < 3 || i === 5 ? 1 : 0,
  started_at: i === 2 ? NOW - 65_000 : undefined,
  duration_ms: i < 2 || i === 5 ? 4_200 : undefined,
  reopened: i === 2 ? 1 : 0,
}))

function lines(rows: Row[]): string[] {
  return rows.map((row) => row.map((s) => s.text).join(''))
}

function draw(stages: StageView[], width = 80, frame = 0): string[] {
  return lines(layoutDag({ stages, width, now: NOW, frame }))
}

/** Whether `id` or a cut of it ending in … (at least three characters of it) is on screen. */
function shows(text: string[], id: string): boolean {
  const all = text.join('\n')
  if (all.includes(id)) return true
  return [...id].some((_, n) => n >= 3 && all.includes(`${id.slice(0, n)}…`))
}

const width = (line: string) => [...line].length

describe('layoutDag on the default workflow', () => {
  it.each([80, 140])('fits %i columns with every stage, arrow and fan', (columns) => {
    const text = draw(DEFAULT_STAGES, columns)
    expect(text.every((line) => width(line) <= columns)).toBe(true)
    for (const s of DEFAULT_STAGES) expect(shows(text, s.id), s.id).toBe(true)
    expect(text[0]).toMatch(/─► /)
    expect(text[0]).toMatch(/─┬► /)
    expect(text.some((line) => line.includes('└► '))).toBe(true)
    expect(text.some((line) => /─┴► /.test(line))).toBe(true)
    expect(text.some((line) => line.includes('─┘'))).toBe(true)
    const targets = DEFAULT_STAGES.filter((s) => s.depends_on.length > 0).length
    expect(text.join('').split('►').length - 1).toBe(targets)
  })

  it('shows every id in full when there is room', () => {
    const text = draw(DEFAULT_STAGES, 140).join('\n')
    for (const s of DEFAULT_STAGES) expect(text).toContain(s.id)
    expect(text).toContain('implementation #1 1m05s')
  })

  it.each([20, 40, 60, 70, 79, 80, 100, 120, 160])('never overflows %i columns', (columns) => {
    for (const frame of [0, 1, 7])
      expect(draw(DEFAULT_STAGES, columns, frame).every((line) => width(line) <= columns)).toBe(true)
  })

  it('falls back to an indented list at 40 columns', () => {
    const text = draw(DEFAULT_STAGES, 40)
    expect(text).toHaveLength(DEFAULT_STAGES.length)
    expect(text[0]).toMatch(/^✓ requirements/)
    expect(text[1]).toMatch(/^└► ✓ architecture/)
    expect(text[2]).toMatch(/^ {2}└► ⠋ implementation ↺1/)
    expect(text[7]).toMatch(/^ +└► ○ final_approval/)
    expect(text.every((line) => width(line) <= 40)).toBe(true)
  })
})

describe('layoutDag on small graphs', () => {
  it.each<[string, StageView[], string[]]>([
    ['a single stage', [stage('only', [])], ['○ only', 'agent_only']],
    [
      'a chain',
      [stage('a', []), stage('b', ['a']), stage('c', ['b'])],
      ['○ a ────────► ○ b ────────► ○ c', 'agent_a       agent_b       agent_c'],
    ],
    [
      'a diamond',
      [stage('a', []), stage('b', ['a']), stage('c', ['a']), stage('d', ['b', 'c'])],
      [
        '○ a ────────┬► ○ b ────────┬► ○ d',
        'agent_a     │  agent_b     │  agent_d',
        '            │              │',
        '            └► ○ c ────────┘',
        '               agent_c',
      ],
    ],
    [
      'an edge that skips a layer',
      [stage('a', []), stage('b', ['a']), stage('c', ['a', 'b'])],
      [
        '○ a ────────┬► ○ b ────────┬► ○ c',
        'agent_a     │  agent_b     │  agent_c',
        '            │              │',
        '            └──────────────┘',
      ],
    ],
  ])('draws %s', (_, stages, expected) => {
    expect(draw(stages, 40)).toEqual(expected)
  })

  it('carries a long edge through every layer it skips', () => {
    const stages = [stage('a', []), stage('b', ['a']), stage('c', ['b']), stage('d', ['c', 'a'])]
    const text = draw(stages, 80)
    expect(text[3]).toMatch(/└─+┘$/)
    expect(text[3]).not.toMatch(/►/)
  })

  it('draws nothing for no stages', () => {
    expect(draw([])).toEqual([])
  })
})

describe('stage labels', () => {
  it.each<[StageView['status'], number, string, string]>([
    ['pending', 0, '○', 'gray'],
    ['running', 0, '⠋', 'yellow'],
    ['running', 1, '⠙', 'yellow'],
    ['running', 10, '⠋', 'yellow'],
    ['awaiting_gate', 0, '⏸', 'magenta'],
    ['passed', 0, '✓', 'green'],
    ['failed', 0, '✗', 'red'],
    ['skipped', 0, '–', 'gray'],
  ])('marks %s (frame %i) with %s in %s', (status, frame, glyph, color) => {
    expect(statusMark(status, frame)).toMatchObject({ text: glyph, color })
    const rows = layoutDag({ stages: [stage('s', [], { status })], width: 40, now: NOW, frame })
    expect(rows[0]?.[0]).toMatchObject({ text: glyph, color })
  })

  it('dims a skipped stage', () => {
    expect(statusMark('skipped', 0).dim).toBe(true)
  })

  it.each([
    ['wide', 80, /○ loop ↺2/],
    ['in the list fallback', 14, /└► ○ loop ↺2/],
  ])('shows ↺N for a re-opened stage (%s)', (_, columns, pattern) => {
    const stages = [stage('a', []), stage('loop', ['a'], { reopened: 2 })]
    expect(draw(stages, columns).join('\n')).toMatch(pattern)
  })

  it('moves the loop mark under a cut id in a tight layout', () => {
    const [first = '', second = ''] = draw(DEFAULT_STAGES, 80)
    expect(first).toMatch(/⠋ impl\S*… /)
    expect(second).toMatch(/ ↺1 1m05s/)
  })

  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [999, '999ms'],
    [1_000, '1.0s'],
    [4_200, '4.2s'],
    [59_999, '59.9s'],
    [60_000, '1m00s'],
    [65_000, '1m05s'],
    [754_000, '12m34s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it('shows the elapsed time of a running stage and the duration of a finished one', () => {
    const stages = [
      stage('a', [], { status: 'passed', visit: 1, duration_ms: 850 }),
      stage('b', ['a'], { status: 'running', visit: 2, started_at: NOW - 4_200 }),
    ]
    const text = draw(stages, 80).join('\n')
    expect(text).toContain('agent_a #1 850ms')
    expect(text).toContain('agent_b #2 4.2s')
  })
})
