import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { type CompiledContract, listContractFiles, loadContractFile } from '../core/contracts/index.js'
import { GENERATED_HEADER, generateContractTypes } from '../core/contracts/typegen.js'
import { userError } from '../core/errors.js'
import { type Command, say } from './command.js'

export const contractsTypes: Command = {
  name: 'contracts types',
  args: '',
  summary: "generate TypeScript types for every contract's input and output (--check: exit 1 when stale)",
  positionals: { min: 0, max: 0 },
  options: {
    check: { type: 'boolean', description: 'write nothing; exit 1 when the generated files are not current' },
    out: {
      type: 'string',
      value: 'DIR',
      description: 'where the types go (default: src/generated/contracts)',
    },
  },
  async run(context) {
    const outDir = resolve(
      context.cwd,
      typeof context.options.out === 'string' ? context.options.out : 'src/generated/contracts',
    )
    const contracts = await loadAllValid(resolve(context.cwd, 'contracts'))
    const files = await generateContractTypes(contracts)
    const shown = relative(context.cwd, outDir) || '.'
    const stale = await staleFiles(outDir, files)
    if (context.options.check) {
      if (stale.length === 0) {
        say(context.stdout, `${shown}: types are current (${contracts.length} contracts)`)
        return 0
      }
      say(context.stdout, `${shown}: types are stale: ${stale.join(', ')}`)
      say(context.stdout, '  Run `macds contracts types` to regenerate them.')
      return 1
    }
    await mkdir(outDir, { recursive: true })
    for (const file of files) await writeFile(join(outDir, file.path), file.content)
    for (const extra of stale.filter((name) => !files.some((f) => f.path === name)))
      await rm(join(outDir, extra))
    say(
      context.stdout,
      `${shown}: wrote types for ${contracts.length} contracts (${stale.length} file${stale.length === 1 ? '' : 's'} changed)`,
    )
    return 0
  },
}

async function loadAllValid(dir: string): Promise<CompiledContract[]> {
  const contracts: CompiledContract[] = []
  for (const file of await listContractFiles(dir)) {
    const result = await loadContractFile(file)
    if (!result.ok) {
      throw userError(
        'CONTRACT_INVALID',
        `${file} is invalid, so no types were generated`,
        'Run `macds contracts validate` and fix the issues it lists.',
      )
    }
    contracts.push(result.contract)
  }
  return contracts
}

/** Generated files whose content differs from disk, plus earlier generated files that would no longer be generated. */
async function staleFiles(dir: string, files: { path: string; content: string }[]): Promise<string[]> {
  const onDisk = await readdir(dir).catch(() => [] as string[])
  const stale: string[] = []
  for (const file of files) {
    const current = await readFile(join(dir, file.path), 'utf8').catch(() => undefined)
    if (current !== file.content) stale.push(file.path)
  }
  for (const name of onDisk) {
    if (!name.endsWith('.ts') || files.some((f) => f.path === name)) continue
    // A file this command did not write is never touched, even in the output directory.
    const text = await readFile(join(dir, name), 'utf8').catch(() => '')
    if (text.startsWith(GENERATED_HEADER)) stale.push(name)
  }
  return stale
}
