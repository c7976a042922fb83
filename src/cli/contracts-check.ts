import { resolve } from 'node:path'
import { type Command, say } from './command.js'

export const contractsCheck: Command = {
  name: 'contracts check',
  args: '<name> <file>',
  summary: "validate a JSON or YAML value against a contract's output (or --input) and print the violations",
  positionals: { min: 2, max: 2 },
  options: {
    input: { type: 'boolean', description: "check the value against the contract's input instead" },
    'with-input': {
      type: 'string',
      value: 'FILE',
      description: 'the input the output answers, for rules that read `input`',
    },
    json: { type: 'boolean', description: 'print the violations as JSON' },
  },
  async run(context) {
    const [name = '', file = ''] = context.positionals
    const { formatViolation, loadNamedContract, readValueFile, validateValue } =
      await import('../core/contracts/index.js')
    const contract = await loadNamedContract(resolve(context.cwd, 'contracts'), name)
    const value = await readValueFile(resolve(context.cwd, file))
    const part = context.options.input ? 'input' : 'output'
    const withInput = context.options['with-input']
    const input =
      typeof withInput === 'string' ? await readValueFile(resolve(context.cwd, withInput)) : undefined
    const skipInputRules = part === 'output' && input === undefined
    const result = validateValue(contract, part, value, { input, skipInputRules })
    const skipped = skipInputRules
      ? contract.rules.filter((r) => r.applies_to === 'output' && r.compiled.readsInput)
      : []
    if (context.options.json) {
      say(
        context.stdout,
        JSON.stringify(
          { ok: result.ok, violations: result.violations, skipped_rules: skipped.map((r) => r.id) },
          null,
          2,
        ),
      )
      return result.ok ? 0 : 1
    }
    for (const violation of result.violations) say(context.stdout, formatViolation(violation))
    const errors = result.violations.filter((v) => v.severity === 'error').length
    const others = result.violations.length - errors
    say(
      context.stdout,
      `${contract.name} ${contract.version} ${part}: ${errors} error${errors === 1 ? '' : 's'}, ${others} other violation${others === 1 ? '' : 's'}`,
    )
    if (skipped.length > 0) {
      say(
        context.stdout,
        `skipped ${skipped.map((r) => r.id).join(', ')}: they read \`input\`; pass --with-input FILE to run them`,
      )
    }
    return result.ok ? 0 : 1
  },
}
