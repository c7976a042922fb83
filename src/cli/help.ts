import { type Command, globalOptions, type OptionSpec } from './command.js'

/** The overview printed by `macds --help`, built from the command table. */
export function overviewHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.args}`.trim().length))
  const rows = commands.map((c) => `  macds ${`${c.name} ${c.args}`.trim().padEnd(width)}  ${c.summary}`)
  return [
    `macds ${version}: a terminal supervisor for contract-first multi-agent software engineering`,
    '',
    'Usage:',
    ...rows,
    '',
    'Options for every command:',
    ...optionRows(globalOptions),
    '  --version        print the version',
    '',
    'Exit codes: 0 done; 1 failed; 2 usage or configuration error; 3 waiting for a person; 130 interrupted.',
    "Run `macds <command> --help` for a command's options.",
  ].join('\n')
}

/** The help of one command. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: macds ${command.name} ${command.args}`.trimEnd(), '', command.summary]
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionRows(command.options))
  lines.push('', 'Options for every command:', ...optionRows(globalOptions))
  return lines.join('\n')
}

function optionRows(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`
    return `  ${flag.padEnd(15)}  ${spec.description}`
  })
}
