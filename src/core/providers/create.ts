import type { ProjectConfig } from '../config/load.js'
import { userError } from '../errors.js'
import { loadScript } from './script.js'
import { createScriptedProvider } from './scripted.js'
import type { Provider } from './types.js'

export type ProviderName = ProjectConfig['provider']

/** What the command line may say about the provider; macds.yaml decides the rest. */
export interface ProviderChoice {
  provider?: string
  script?: string
  env?: NodeJS.ProcessEnv
}

/**
 * The provider a command uses: the one named on the command line, else the one in macds.yaml.
 * The OpenAI client is loaded only when it is used.
 */
export async function createProvider(config: ProjectConfig, choice: ProviderChoice = {}): Promise<Provider> {
  const name = choice.provider ?? config.provider
  if (name === 'scripted') {
    const script = choice.script ?? config.script
    if (!script) {
      throw userError(
        'SCRIPT_MISSING',
        'the scripted provider needs a script',
        'Pass --script FILE, or set script: in macds.yaml.',
      )
    }
    return createScriptedProvider(await loadScript(script))
  }
  if (name === 'openai') {
    const { createOpenAiProvider } = await import('./openai.js')
    return createOpenAiProvider(config.openai, { env: choice.env ?? process.env, prices: config.prices })
  }
  throw userError(
    'PROVIDER_UNKNOWN',
    `unknown provider '${name}'`,
    'Use --provider openai or --provider scripted.',
  )
}
