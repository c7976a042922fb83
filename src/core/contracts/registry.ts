import { type FSWatcher, watch } from 'chokidar'
import type { ContractTypes } from '../../generated/contracts/index.js'
import { userError } from '../errors.js'
import type { CompiledContract } from './compile.js'
import { contractNameOf, isContractFile, listContractFiles } from './files.js'
import { loadContractFile } from './load.js'
import type { ContractIssue, ValidationResult } from './types.js'
import { validateValue } from './validate.js'

/** The contracts macds ships, whose input and output types are generated into src/generated/contracts. */
export type KnownContract = keyof ContractTypes

/** What happened to a contract; the registry has already updated its state when listeners hear of it. */
export type ContractEvent =
  | { type: 'contract.loaded'; name: string; version: string; file: string }
  | { type: 'contract.reloaded'; name: string; version: string; previous_version: string; file: string }
  | {
      type: 'contract.invalid'
      name: string
      file: string
      issues: ContractIssue[]
      in_force: string | undefined
    }
  | { type: 'contract.removed'; name: string; file: string }

/**
 * One contract name's state. `active` is the version in force: the last one that was valid,
 * which stays in force while the file on disk is invalid.
 */
export interface ContractEntry {
  name: string
  file: string
  status: 'valid' | 'invalid'
  active: CompiledContract | undefined
  issues: ContractIssue[]
}

/** Listeners run synchronously after each change and must not throw. */
export type ContractListener = (event: ContractEvent) => void

/** Keeps the contracts of a directory compiled, and (after `watch()`) recompiles them as files change. */
export class ContractRegistry {
  readonly dir: string
  private readonly entriesByName = new Map<string, ContractEntry>()
  private readonly listeners = new Set<ContractListener>()
  private watcher: FSWatcher | undefined
  private pending = Promise.resolve()

  private constructor(dir: string) {
    this.dir = dir
  }

  /** Loads every contract file of `dir`. Invalid files are recorded, not thrown. */
  static async load(dir: string): Promise<ContractRegistry> {
    const registry = new ContractRegistry(dir)
    for (const file of await listContractFiles(dir)) await registry.refresh(file)
    return registry
  }

  /** The version in force for `name`, if any version was ever valid. */
  get(name: string): CompiledContract | undefined {
    return this.entriesByName.get(name)?.active
  }

  /** Like `get`, but a missing or never-valid contract is a user error that says what to do. */
  require(name: string): CompiledContract {
    const entry = this.entriesByName.get(name)
    if (entry?.active) return entry.active
    if (entry) {
      const first = entry.issues[0]
      const where = first ? ` (${first.file}:${first.line}:${first.col} ${first.message})` : ''
      throw userError(
        'CONTRACT_INVALID',
        `contract '${name}' is invalid${where}`,
        'Run `macds contracts validate` and fix the issues it lists.',
      )
    }
    throw userError(
      'CONTRACT_MISSING',
      `no contract named '${name}' in ${this.dir}`,
      `Create ${name}.yaml there, or run \`macds init\` for the defaults.`,
    )
  }

  /**
   * Checks what an agent answered against the version in force of contract `name`; the value is
   * typed by the generated contract types, and may be acted on only when `ok` is true.
   */
  checkOutput<N extends KnownContract>(
    name: N,
    value: unknown,
    input: ContractTypes[N]['input'],
  ): ValidationResult<ContractTypes[N]['output']> {
    return validateValue(this.require(name), 'output', value, { input })
  }

  /** Checks what an agent is about to be given against contract `name`. */
  checkInput<N extends KnownContract>(name: N, value: unknown): ValidationResult<ContractTypes[N]['input']> {
    return validateValue(this.require(name), 'input', value)
  }

  /** Every contract's state, sorted by name. */
  entries(): ContractEntry[] {
    return [...this.entriesByName.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Listens to contract events; returns the function that stops listening. */
  subscribe(listener: ContractListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Starts watching the directory; resolves once the watcher is ready. */
  async watch(): Promise<void> {
    if (this.watcher) return
    const watcher = watch(this.dir, {
      ignoreInitial: true,
      depth: 0,
      ignored: (path, stats) => stats?.isFile() === true && !isContractFile(path),
      awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 10 },
    })
    this.watcher = watcher
    const enqueue = (file: string, removed: boolean) => {
      if (!isContractFile(file)) return
      this.pending = this.pending.then(async () => {
        if (removed) this.remove(file)
        else await this.refresh(file)
      })
    }
    watcher.on('add', (file) => enqueue(file, false))
    watcher.on('change', (file) => enqueue(file, false))
    watcher.on('unlink', (file) => enqueue(file, true))
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  }

  /** Stops watching. */
  async close(): Promise<void> {
    await this.watcher?.close()
    this.watcher = undefined
    await this.pending
  }

  /** Recompiles one file now; used by the watcher and by editors that save through macds. */
  async refresh(file: string): Promise<ContractEntry> {
    const name = contractNameOf(file)
    const before = this.entriesByName.get(name)
    const result = await loadContractFile(file)
    if (result.ok) {
      const entry: ContractEntry = { name, file, status: 'valid', active: result.contract, issues: [] }
      this.entriesByName.set(name, entry)
      const version = result.contract.version
      this.emit(
        before?.active
          ? { type: 'contract.reloaded', name, version, previous_version: before.active.version, file }
          : { type: 'contract.loaded', name, version, file },
      )
      return entry
    }
    const entry: ContractEntry = {
      name,
      file,
      status: 'invalid',
      active: before?.active,
      issues: result.issues,
    }
    this.entriesByName.set(name, entry)
    this.emit({
      type: 'contract.invalid',
      name,
      file,
      issues: result.issues,
      in_force: before?.active?.version,
    })
    return entry
  }

  private remove(file: string): void {
    const name = contractNameOf(file)
    if (!this.entriesByName.delete(name)) return
    this.emit({ type: 'contract.removed', name, file })
  }

  private emit(event: ContractEvent): void {
    for (const listener of this.listeners) listener(event)
  }
}
