import { resolve } from 'node:path'
import { doctor } from '../core/doctor.js'
import { type Command, say } from './command.js'

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const

export const doctorCommand: Command = {
  name: 'doctor',
  args: '',
  summary: 'check git, node, the configuration and the provider; exit 1 when something needs fixing',
  positionals: { min: 0, max: 0 },
  options: {
    provider: {
      type: 'string',
      value: 'NAME',
      description: 'check this provider (default: from macds.yaml)',
    },
    script: { type: 'string', value: 'FILE', description: 'the script to check for the scripted provider' },
    json: { type: 'boolean', description: 'print the checks as JSON' },
  },
  async run(context) {
    const { provider, script } = context.options
    const checks = await doctor(context.cwd, {
      provider: typeof provider === 'string' ? provider : undefined,
      script: typeof script === 'string' ? resolve(context.cwd, script) : undefined,
    })
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
