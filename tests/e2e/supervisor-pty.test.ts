import { existsSync } from 'node:fs'
import { appendFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { frame, spawnPty, type PtyCli } from '../helpers/pty.js'
import { requireApproval, runEvents, STAGE_AGENTS, type Step } from '../helpers/run-project.js'
import { gitIn, sampleRepo, sampleSteps } from '../helpers/sample-repo.js'
import { promptText } from '../helpers/prompts.js'

const TEST_TIMEOUT = 60_000
const WAIT = 20_000
const REQUIREMENT = 'Add a farewell function'
const REASON = 'please name the risk'

/**
 * The infra answer of the sample writes .github/workflows/ci.yml, a protected path that would ask a
 * gate of its own, at the same time as the review's; left out here, the two gates of the test come
 * one at a time.
 */
const GUARD = 'guard: { protected: [macds.yaml, "contracts/**", "agents/**"] }\n'

/** With MACDS_PTY_CAPTURES=<file>, the screens the tests pass through are appended to that file. */
async function capture(cli: PtyCli, title: string): Promise<void> {
  const file = process.env.MACDS_PTY_CAPTURES
  if (file) await appendFile(file, `\n## ${title}\n\n${frame(cli.screen(), cli.columns)}\n`)
}

/** Polls `check` until it gives something other than undefined; fails after `timeoutMs`. */
async function poll<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The id of the one run the supervisor started in `root`, once its directory is there. */
async function onlyRun(root: string): Promise<string> {
  const dir = join(root, '.macds', 'runs')
  const runs = await poll(
    async () => {
      const names = existsSync(dir) ? (await readdir(dir)).filter((name) => name.startsWith('r-')) : []
      return names.length > 0 ? names : undefined
    },
    WAIT,
    'the run directory',
  )
  expect(runs).toHaveLength(1)
  return runs[0] ?? ''
}

/** The first frame of the supervisor, before any run. */
async function opened(cli: PtyCli): Promise<void> {
  await cli.waitFor((s) => s.includes('macds') && s.includes('no run yet'), WAIT)
  expect(cli.inAlternateScreen()).toBe(true)
}

/** The status line: the first line of the screen. */
const statusLine = (screen: string) => screen.split('\n')[0] ?? ''

/** Presses n, types the requirement and sends it; resolves once the run has started. */
async function startRun(cli: PtyCli): Promise<void> {
  await cli.press('n')
  await cli.waitFor('Requirement for a new run:', WAIT)
  await cli.type(REQUIREMENT)
  await cli.waitFor(`> ${REQUIREMENT}`, WAIT)
  await cli.press('enter')
  const screen = await cli.waitFor((s) => /· r-\d{8}-\d/.test(statusLine(s)), WAIT)
  // The status line names the run and its status.
  expect.soft(statusLine(screen)).toMatch(/r-\d{8}-\d{6}-[0-9a-f]{4} running/)
}

const gateShown = (stage: string) => new RegExp(`approval 1 of 1 (g-[0-9a-f]{6}) · ${stage}(?! · )`)

describe('the supervisor in a terminal', () => {
  it(
    'runs a requirement through two gates (one rejected with a reason), shows an artifact diff, and quits',
    async () => {
      const steps: Step[] = await sampleSteps()
      const review = steps.find((s) => s.stage === 'review')
      // The review is asked twice: the person rejects its first answer.
      if (review) steps.push({ ...review })
      const root = await sampleRepo(steps, {
        config: GUARD,
        edit: async (dir) => {
          await requireApproval(dir, STAGE_AGENTS.requirements ?? 'product')
          await requireApproval(dir, STAGE_AGENTS.review ?? 'reviewer')
        },
      })
      const before = gitIn(root, 'rev-parse', 'main')
      const cli = spawnPty([], { cwd: root })
      try {
        await opened(cli)
        await capture(cli, 'first frame')
        await startRun(cli)
        await capture(cli, 'run started')

        // Gate 1: the requirements, approved.
        let screen = await cli.waitFor(gateShown('requirements'), WAIT)
        await capture(cli, 'gate on the requirements')
        const first = gateShown('requirements').exec(screen)?.[1] ?? ''
        expect(screen).toContain('⏸ 1 approval')
        await cli.press('a')
        await cli.waitFor(`${first} approved`, WAIT)
        await capture(cli, 'requirements approved')

        // Gate 2: the review, rejected with a reason.
        screen = await cli.waitFor(gateShown('review'), WAIT)
        await capture(cli, 'gate on the review')
        const second = gateShown('review').exec(screen)?.[1] ?? ''
        expect(second).not.toBe(first)
        await cli.press('r')
        await cli.waitFor(`Why reject ${second}?`, WAIT)
        await cli.type(REASON)
        await cli.waitFor(`> ${REASON}`, WAIT)
        await capture(cli, 'the reason typed')
        await cli.press('enter')
        await cli.waitFor(`${second} rejected`, WAIT)

        // The review runs again with the reason, and asks again: approved.
        screen = await cli.waitFor((s) => {
          const id = gateShown('review').exec(s)?.[1]
          return id !== undefined && id !== second
        }, WAIT)
        const third = gateShown('review').exec(screen)?.[1] ?? ''
        await capture(cli, 'the review asked again')
        await cli.press('a')

        await cli.waitFor('Nothing waits for a decision.', WAIT)
        screen = await cli.waitFor(/run r-\S+ passed/, WAIT)
        await capture(cli, 'the run passed')
        expect.soft(statusLine(screen)).toMatch(/r-\S+ passed/)
        expect(screen).toMatch(/\d+ of \d+ stages passed/)
        expect(screen).toContain('⏸ 0 approvals')

        const runId = await onlyRun(root)
        const events = await runEvents(root, runId)
        const answered = events.filter((e) => e.type === 'gate.answered')
        expect(answered).toEqual([
          expect.objectContaining({ gate_id: first, decision: 'approve', by: 'supervisor' }),
          expect.objectContaining({ gate_id: second, decision: 'reject', reason: REASON, by: 'supervisor' }),
          expect.objectContaining({ gate_id: third, decision: 'approve', by: 'supervisor' }),
        ])
        // The log is written in batches, a moment after the screen shows what happened.
        const ended = await poll(
          async () => (await runEvents(root, runId)).find((e) => e.type === 'run.finished'),
          WAIT,
          'run.finished in the log',
        )
        expect(ended).toMatchObject({ status: 'passed' })
        // The reason reached the reviewer: the prompt of the review's second visit carries it.
        expect(await promptText(root, runId, { stage: 'review', visit: 2, agent: 'reviewer' })).toContain(
          REASON,
        )

        // The artifacts: the first one's commits, and one commit's diff.
        await cli.press('4')
        screen = await cli.waitFor(/ARTIFACT\s+OWNER\s+VERSIONS/, WAIT)
        screen = await cli.waitFor(/REQUIREMENTS\.md\s+product\s+[1-9]/, WAIT)
        await capture(cli, 'the artifacts panel')
        await cli.press('enter')
        screen = await cli.waitFor(/REQUIREMENTS\.md: [1-9]\d* version\(s\)/, WAIT)
        await capture(cli, "the requirements' commits")
        await cli.press('enter')
        screen = await cli.waitFor(/REQUIREMENTS\.md @ [0-9a-f]{8} · lines/, WAIT)
        await capture(cli, 'a commit of the requirements')
        expect(screen).toMatch(/^(@@|\+)/m)
        await cli.press('escape')
        await cli.waitFor(/REQUIREMENTS\.md: [1-9]\d* version\(s\)/, WAIT)
        await cli.press('escape')
        await cli.waitFor(/REQUIREMENTS\.md\s+product\s+[1-9]/, WAIT)

        await cli.press('q')
        expect(await cli.exit).toMatchObject({ exitCode: 0 })
        expect(cli.inAlternateScreen()).toBe(false)
      } finally {
        await cli.stop()
      }

      const after = gitIn(root, 'rev-parse', 'main')
      expect(after).not.toBe(before)
      expect(gitIn(root, 'show', 'main:src/farewell.js')).toContain('Goodbye')
      expect(gitIn(root, 'status', '--porcelain')).toBe('')
    },
    TEST_TIMEOUT,
  )

  it('needs a terminal: with stdin and stdout piped it says so and exits 2', async () => {
    const root = await sampleRepo(await sampleSteps())
    const result = await runCli([], { cwd: root })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/needs an interactive terminal/)
    expect(result.stdout).not.toContain('\x1b[?1049h')
  })

  it(
    'on SIGTERM cancels the run, leaves the alternate screen and exits',
    async () => {
      const steps = await sampleSteps()
      // The architect thinks for a long while: the signal comes while the run waits on it.
      for (const step of steps) if (step.stage === 'architecture') step.delay_ms = 60_000
      const root = await sampleRepo(steps, { config: GUARD })
      const cli = spawnPty([], { cwd: root })
      try {
        await opened(cli)
        await startRun(cli)
        const runId = await onlyRun(root)
        await poll(
          async () =>
            (await runEvents(root, runId).catch(() => [])).find(
              (e) => e.type === 'stage.started' && e.stage === 'architecture',
            ),
          WAIT,
          'the architecture stage to start',
        )
        // The DAG shows the architect at work (its name cut to fit 100 columns).
        await cli.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] architectu/, WAIT)
        await capture(cli, 'running, before SIGTERM')
        cli.kill('SIGTERM')
        const exit = await cli.exit
        // On a failure, say how it ended: the exit, the last events and the last screen.
        const events = await runEvents(root, runId)
        const ending = `exit ${JSON.stringify(exit)}; last events ${events
          .slice(-3)
          .map((e) => e.type)
          .join(', ')}; screen:\n${frame(cli.screen(), cli.columns)}`
        expect(exit.exitCode !== 0 || exit.signal !== undefined, ending).toBe(true)
        expect(cli.inAlternateScreen(), ending).toBe(false)
        expect(events.at(-1)?.type, ending).toBe('run.cancelled')
      } finally {
        await cli.stop()
      }
    },
    TEST_TIMEOUT,
  )
})
