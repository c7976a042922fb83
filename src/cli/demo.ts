import { say, type Command } from './command.js'
import { driveFromCli } from './run-drive.js'

export const demoCommand: Command = {
  name: 'demo',
  args: '',
  summary: 'a complete scripted run on a bundled sample project, in the supervisor; no API key needed',
  positionals: { min: 0, max: 0 },
  options: {
    headless: { type: 'boolean', description: 'run it with automatic approval and the plain reporter' },
    dir: {
      type: 'string',
      value: 'DIR',
      description: 'make the demo repository in DIR (default: a new temporary directory)',
    },
  },
  async run(context) {
    const headless = context.options.headless === true
    const { DEMO_REQUIREMENT, makeDemoRepository } = await import('../core/demo/repository.js')
    if (!headless) {
      // Checked before anything is made: without a terminal, the headless demo is the one to run.
      const { requireTerminal } = await import('./supervisor.js')
      requireTerminal(context, 'Run `macds demo --headless` to watch the demo as plain lines.')
    }
    const dir = typeof context.options.dir === 'string' ? context.options.dir : undefined
    const root = await makeDemoRepository(dir)
    say(context.stdout, `The demo repository is ${root}`)
    const code = headless
      ? await runHeadless(context, root, DEMO_REQUIREMENT)
      : await runInSupervisor(context, root, DEMO_REQUIREMENT)
    say(
      context.stdout,
      `The demo repository is ${root}: look at it with \`git -C ${root} log --oneline --all\`.`,
    )
    return code
  },
}

async function runHeadless(
  context: Parameters<Command['run']>[0],
  root: string,
  requirement: string,
): Promise<number> {
  const { setUpRun } = await import('./run-setup.js')
  const { startRun } = await import('../core/run/driver.js')
  const { newRunId } = await import('../core/run/ids.js')
  const setup = await setUpRun(root, {}, {})
  const options = setup.options('auto')
  const runId = newRunId()
  return driveFromCli({ ...context, cwd: root }, setup, runId, (deps) =>
    startRun(requirement, options, deps, runId),
  )
}

async function runInSupervisor(
  context: Parameters<Command['run']>[0],
  root: string,
  requirement: string,
): Promise<number> {
  const { openSupervisor } = await import('./supervisor.js')
  return openSupervisor({ ...context, cwd: root }, requirement)
}
