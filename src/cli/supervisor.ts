import type { ReadStream, WriteStream } from 'node:tty'
import { loadConfig } from '../core/config/load.js'
import { userError } from '../core/errors.js'
import type { Command, CommandContext } from './command.js'
import { projectRedactor, providerChoice, providerOptions } from './provider-options.js'

/**
 * `macds` alone: the full-screen supervisor. It needs a terminal on both ends; piped or redirected,
 * it says so and exits 2. Ink and React are loaded only here.
 */
export async function openSupervisor(context: CommandContext, start?: string): Promise<number> {
  const { stdin, stdout } = requireTerminal(
    context,
    'Run `macds` in a terminal, or use `macds run "<requirement>"` for a headless run (`macds --help` lists every command).',
  )
  // The screen's code (Ink, React, the layout engine's WebAssembly) loads while the project is read:
  // both leave the main thread waiting at times (compiling WebAssembly, reading files, asking git).
  // A project that cannot be read is reported without waiting for it.
  const screen = import('../ui/start.js')
  screen.catch(() => {})
  const config = await loadConfig(context.cwd)
  const choice = providerChoice(context)
  const [{ createProvider }, { loadProject }] = await Promise.all([
    import('../core/providers/create.js'),
    import('../ui/session/project.js'),
  ])
  // Made once here so that a missing script or key is reported before the screen opens.
  const provider = await createProvider(config, choice)
  const loaded = await loadProject(config, provider.name)
  const { startSupervisor } = await screen
  return startSupervisor({
    config,
    choice,
    loaded,
    redact: projectRedactor(config),
    stdin,
    stdout,
    start,
  })
}

/** The command's streams as terminals; a user error with `hint` when either is not one. */
export function requireTerminal(
  context: CommandContext,
  hint: string,
): { stdin: ReadStream; stdout: WriteStream } {
  const stdin = context.stdin as ReadStream
  const stdout = context.stdout as WriteStream
  if (!stdin.isTTY || !stdout.isTTY)
    throw userError(
      'NOT_A_TERMINAL',
      'the supervisor needs an interactive terminal, and stdin or stdout is not one',
      hint,
    )
  return { stdin, stdout }
}

/** The command `macds` runs with no command word. */
export const supervisorCommand: Command = {
  name: '',
  args: '',
  summary: 'open the full-screen supervisor (needs a terminal)',
  positionals: { min: 0, max: 0 },
  options: providerOptions,
  run: (context) => openSupervisor(context),
}
