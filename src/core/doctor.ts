import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { modelOf, readAgents } from './agents/load.js'
import { type ProjectConfig, loadConfig } from './config/load.js'
import { listContractFiles } from './contracts/files.js'
import { toMacdsError } from './errors.js'
import { createProvider, type ProviderChoice } from './providers/create.js'

const run = promisify(execFile)

/** The result of one doctor check: `warn` does not fail the doctor, `fail` does. */
export interface Check {
  name: string
  status: 'ok' | 'warn' | 'fail'
  detail: string
  hint?: string
}

/**
 * Checks what a run needs, in order, and says exactly what is wrong: node, git and the repository,
 * the configuration, contracts and agents, and the provider (one tiny call per model the agents use).
 */
export async function doctor(root: string, choice: ProviderChoice = {}): Promise<Check[]> {
  const checks = [nodeCheck(), ...(await gitChecks(root))]
  let config: ProjectConfig
  try {
    config = await loadConfig(root)
    checks.push({
      name: 'configuration',
      status: 'ok',
      detail: config.file ?? 'no macds.yaml: defaults in use',
    })
  } catch (error) {
    return [...checks, failed('configuration', error)]
  }
  checks.push(await contractsCheck(config))
  const agents = await agentsCheck(config)
  checks.push(agents.check)
  checks.push(...(await providerChecks(config, choice, agents.models)))
  return checks
}

/** The agents' check, and the server models the valid ones call. */
async function agentsCheck(config: ProjectConfig): Promise<{ check: Check; models: string[] }> {
  try {
    const { agents, problems } = await readAgents(config)
    const models = [...new Set(agents.map((a) => modelOf(a, config)))]
    if (problems.length === 0)
      return { check: { name: 'agents', status: 'ok', detail: `${agents.length} valid` }, models }
    const detail = `${problems.length} invalid: ${problems.map((p) => p.file).join(', ')}`
    const hint = 'Run `macds agents list` to see the problems.'
    return { check: { name: 'agents', status: 'fail', detail, hint }, models }
  } catch (error) {
    return { check: failed('agents', error), models: [] }
  }
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const ok = major > 20 || (major === 20 && minor >= 19)
  return ok
    ? { name: 'node', status: 'ok', detail: `v${process.versions.node}` }
    : {
        name: 'node',
        status: 'fail',
        detail: `v${process.versions.node}`,
        hint: 'Install Node.js 20.19 or newer.',
      }
}

async function gitChecks(root: string): Promise<Check[]> {
  let version: string
  try {
    version = (await run('git', ['--version'])).stdout.trim()
  } catch {
    return [
      { name: 'git', status: 'fail', detail: 'git is not installed', hint: 'Install git 2.30 or newer.' },
    ]
  }
  try {
    const top = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: root })).stdout.trim()
    return [
      { name: 'git', status: 'ok', detail: version },
      { name: 'repository', status: 'ok', detail: top },
    ]
  } catch {
    const hint = 'Run macds inside a git repository (`git init` to start one).'
    return [
      { name: 'git', status: 'ok', detail: version },
      { name: 'repository', status: 'warn', detail: `${root} is not inside a git repository`, hint },
    ]
  }
}

async function contractsCheck(config: ProjectConfig): Promise<Check> {
  try {
    const files = await listContractFiles(config.paths.contracts)
    // The contract compiler (Ajv, CEL) is loaded only by the commands that compile contracts.
    const { loadContractFile } = await import('./contracts/load.js')
    const results = await Promise.all(files.map(loadContractFile))
    const invalid = results.filter((r) => !r.ok).length
    return invalid === 0
      ? { name: 'contracts', status: 'ok', detail: `${files.length} valid` }
      : {
          name: 'contracts',
          status: 'fail',
          detail: `${invalid} of ${files.length} invalid`,
          hint: 'Run `macds contracts validate` to see the problems.',
        }
  } catch (error) {
    return failed('contracts', error)
  }
}

async function providerChecks(
  config: ProjectConfig,
  choice: ProviderChoice,
  models: string[],
): Promise<Check[]> {
  const name = choice.provider ?? config.provider
  let provider
  try {
    provider = await createProvider(config, choice)
  } catch (error) {
    return [failed(`provider ${name}`, error)]
  }
  if (provider.name === 'scripted')
    return [{ name: 'provider scripted', status: 'ok', detail: 'script loaded' }]
  return Promise.all(
    models.map(async (model): Promise<Check> => {
      const check = `model ${model}`
      try {
        await provider.complete({
          ...{ agent: 'doctor', stage: 'doctor', attempt: 1, model, maxTokens: 16, timeoutMs: 30_000 },
          messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
        })
        return { name: check, status: 'ok', detail: `answers at ${config.openai.base_url}` }
      } catch (error) {
        return failed(check, error)
      }
    }),
  )
}

function failed(name: string, error: unknown): Check {
  const e = toMacdsError(error)
  return { name, status: 'fail', detail: e.message, hint: e.hint }
}
