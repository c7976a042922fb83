import { userError } from '../errors.js'
import type { CompiledContract } from './compile.js'
import { contractNameOf, listContractFiles } from './files.js'
import { loadContractFile } from './load.js'

/** Loads the contract `name` from `dir`; missing or invalid is a user error that says what to do. */
export async function loadNamedContract(dir: string, name: string): Promise<CompiledContract> {
  const files = await listContractFiles(dir)
  const file = files.find((f) => contractNameOf(f) === name)
  if (!file) {
    const known = files.map(contractNameOf).join(', ') || 'none'
    throw userError('CONTRACT_MISSING', `no contract named '${name}' in ${dir}`, `Known contracts: ${known}.`)
  }
  const result = await loadContractFile(file)
  if (!result.ok) {
    const [first] = result.issues
    const where = first ? `: ${first.file}:${first.line}:${first.col} ${first.message}` : ''
    throw userError(
      'CONTRACT_INVALID',
      `contract '${name}' is invalid${where}`,
      'Run `macds contracts validate` and fix the issues it lists.',
    )
  }
  return result.contract
}
