import type { Readable, Writable } from 'node:stream'

/** An option a command accepts, in the shape node:util parseArgs wants, plus help text. */
export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Name of the value in help text, for string options. */
  value?: string
  description: string
}

/** What a command runs with. Output goes through the given streams so tests can capture it. */
export interface CommandContext {
  cwd: string
  positionals: string[]
  options: Record<string, string | boolean | undefined>
  stdin: Readable
  stdout: Writable
  stderr: Writable
}

/** One command of the command line; help and dispatch are generated from the table of these. */
export interface Command {
  /** Words that select the command, such as `contracts validate`. */
  name: string
  /** Positional arguments as shown in usage, such as `<name> <file>`. */
  args: string
  summary: string
  positionals: { min: number; max: number }
  options: Record<string, OptionSpec>
  /** Resolves to the process exit code. */
  run: (context: CommandContext) => Promise<number>
}

/** Options every command accepts. */
export const globalOptions: Record<string, OptionSpec> = {
  cwd: { type: 'string', value: 'DIR', description: 'run as if started in DIR' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
}

/** Writes a line to a stream. */
export function say(stream: Writable, text = ''): void {
  stream.write(`${text}\n`)
}
