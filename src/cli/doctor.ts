import { doctor } from '../core/doctor.js'
import { type Command, say } from './command.js'
import { providerChoice, providerOptions } from './provider-options.js'

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const

export const doctorCommand: Command = {
  name: 'doctor',
  args: '',
  summary: 'check git, node, the configuration and the provider; exit 1 when something needs fixing',
  positionals: { min: 0, max: 0 },
  options: {
    ...providerOptions,
    json: { type: 'boolean', description: 'print the checks as JSON' },
  },
  async run(context) {
    const checks = await doctor(context.cwd, providerChoice(context))
    const failed = checks.filter((c) => c.status === 'fail').length
    if (context.options.json) {
      say(context.stdout, JSON.stringify({ ok: failed === 0, checks }, null, 2))
      return failed === 0 ? 0 : 1
    }
    for (const check of checks) {
      say(context.stdout, `${MARK[check.status]}  ${check.name}: ${check.detail}`)
      if (check.hint && check.status !== 'ok') say(context.stdout, `      hint: ${check.hint}`)
    }
    say(
      context.stdout,
      failed === 0
        ? 'everything macds needs is in place'
        : `${failed} check${failed === 1 ? '' : 's'} failed`,
    )
    return failed === 0 ? 0 : 1
  },
}
