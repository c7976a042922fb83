import { resolve } from 'node:path'
import type { ProjectConfig } from '../core/config/load.js'
import type { ProviderChoice } from '../core/providers/create.js'
import { createRedactor, type Redactor } from '../core/secrets.js'
import type { CommandContext, OptionSpec } from './command.js'

/** The options of every command that talks to a model: which provider, and the script of the scripted one. */
export const providerOptions: Record<string, OptionSpec> = {
  provider: { type: 'string', value: 'NAME', description: 'openai or scripted (default: from macds.yaml)' },
  script: { type: 'string', value: 'FILE', description: 'responses for the scripted provider' },
}

/** What the command line chose; the script path is resolved against the working directory. */
export function providerChoice(context: CommandContext): ProviderChoice {
  const { provider, script } = context.options
  return {
    provider: typeof provider === 'string' ? provider : undefined,
    script: typeof script === 'string' ? resolve(context.cwd, script) : undefined,
  }
}

/** Masks the configured API key and every secret-named environment variable in what a command writes. */
export function projectRedactor(config: ProjectConfig): Redactor {
  const keyEnv = config.openai.api_key_env
  return createRedactor([keyEnv === undefined ? undefined : process.env[keyEnv]], process.env)
}
