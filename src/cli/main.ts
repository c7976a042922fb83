import { resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { type MacdsError, toMacdsError, userError } from '../core/errors.js'
import { macdsPackage } from '../core/package-root.js'
import { type Command, globalOptions, say } from './command.js'
import { commands } from './commands.js'
import { commandHelp, overviewHelp } from './help.js'
import { supervisorCommand } from './supervisor.js'

export interface Io {
  stdin: Readable
  stdout: Writable
  stderr: Writable
  cwd: string
}

/** Runs the command line and resolves to the exit code; never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (error) {
    return report(toMacdsError(error), io.stderr)
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    say(io.stdout, macdsPackage().version)
    return 0
  }
  const words = leadingWords(argv)
  const wantsHelp = argv.includes('--help') || argv.includes('-h')
  const command = findCommand(words) ?? (words.length === 0 && !wantsHelp ? supervisorCommand : undefined)
  if (!command) {
    const group = commands.filter((c) => c.name.split(' ')[0] === words[0])
    if (words.length === 0 || (words.length === 1 && group.length > 0 && wantsHelp)) {
      say(
        io.stdout,
        overviewHelp(words.length === 0 ? [supervisorCommand, ...commands] : group, macdsPackage().version),
      )
      return 0
    }
    throw unknownCommand(words, group)
  }
  const parsed = parse(command, argv)
  if (parsed.values.help) {
    say(io.stdout, commandHelp(command))
    return 0
  }
  const positionals = parsed.positionals.slice(command.name.split(' ').length)
  const { min, max } = command.positionals
  if (positionals.length < min || positionals.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`
    throw userError(
      'USAGE',
      `\`macds ${command.name}\` takes ${expected} argument${max === 1 ? '' : 's'} (${command.args || 'none'}), got ${positionals.length}`,
      `Usage: macds ${command.name} ${command.args}`.trimEnd(),
    )
  }
  const cwd = resolve(io.cwd, typeof parsed.values.cwd === 'string' ? parsed.values.cwd : '.')
  return command.run({ ...io, cwd, positionals, options: parsed.values })
}

/** The words before the first option that are not option values, which select the command. */
function leadingWords(argv: string[]): string[] {
  const valued = new Set(
    [...commands.flatMap((c) => Object.entries(c.options)), ...Object.entries(globalOptions)]
      .filter(([, spec]) => spec.type === 'string')
      .map(([name]) => `--${name}`),
  )
  const words: string[] = []
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i] ?? ''
    if (arg.startsWith('-')) {
      if (valued.has(arg)) i++
      continue
    }
    words.push(arg)
  }
  return words
}

function findCommand(words: string[]): Command | undefined {
  if (words.length === 0) return undefined
  return commands.find((c) => {
    const name = c.name.split(' ')
    return name.every((w, i) => words[i] === w)
  })
}

function unknownCommand(words: string[], group: readonly Command[]): MacdsError {
  if (group.length > 0) {
    const subs = group.map((c) => c.name.split(' ')[1]).join(', ')
    const hint = `\`macds ${words[0]}\` takes one of: ${subs}.`
    if (words.length === 1) return userError('USAGE', `\`macds ${words[0]}\` needs a subcommand`, hint)
    return userError('UNKNOWN_COMMAND', `unknown command \`macds ${words.join(' ')}\``, hint)
  }
  const known = [...new Set(commands.map((c) => c.name.split(' ')[0]))].join(', ')
  return userError(
    'UNKNOWN_COMMAND',
    `unknown command \`${words[0]}\``,
    `Commands: ${known}. Run \`macds --help\` for usage.`,
  )
}

function parse(command: Command, argv: string[]) {
  const options = Object.fromEntries(
    Object.entries({ ...globalOptions, ...command.options }).map(([name, spec]) => [
      name,
      spec.short ? { type: spec.type, short: spec.short } : { type: spec.type },
    ]),
  )
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error)
    throw userError(
      'USAGE',
      message.replace(/\. To specify a positional argument.*$/, ''),
      `Run \`macds ${command.name} --help\` for its options.`,
    )
  }
}

/** Prints an error the way its kind calls for and returns the exit code. */
function report(error: MacdsError, stderr: Writable): number {
  say(stderr, `macds: ${error.message}`)
  if (error.hint) say(stderr, `  ${error.hint}`)
  if (error.kind === 'user') return 2
  const cause = error.cause instanceof Error ? error.cause : undefined
  if (error.kind === 'external' && cause) say(stderr, `  cause: ${cause.message}`)
  if (error.kind === 'bug') say(stderr, (cause ?? error).stack ?? '')
  return 1
}
