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
  const config = await loadConfig(context.cwd)
  const choice = providerChoice(context)
  // Made once here so that a missing script or key is reported before the screen opens.
  const { createProvider } = await import('../core/providers/create.js')
  const provider = await createProvider(config, choice)
  const { startSupervisor } = await import('../ui/start.js')
  return startSupervisor({
    config,
    choice,
    provider: provider.name,
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
