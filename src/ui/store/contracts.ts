import type { ContractEntry, ContractEvent } from '../../core/contracts/registry.js'
import type { ContractRow } from './types.js'

/** A contract's row after a registry event; undefined once its file is gone. */
export function contractRow(
  event: ContractEvent,
  previous: ContractRow | undefined,
): ContractRow | undefined {
  const at = new Date().toTimeString().slice(0, 8)
  switch (event.type) {
    case 'contract.loaded':
      return {
        name: event.name,
        file: event.file,
        status: 'valid',
        version: event.version,
        issue: undefined,
        note: previous ? `loaded ${at}` : undefined,
      }
    case 'contract.reloaded':
      return {
        name: event.name,
        file: event.file,
        status: 'valid',
        version: event.version,
        issue: undefined,
        note: `reloaded ${event.previous_version} → ${event.version} at ${at}`,
      }
    case 'contract.invalid': {
      const [first] = event.issues
      return {
        name: event.name,
        file: event.file,
        status: 'invalid',
        version: event.in_force,
        issue: first ? `${first.line}:${first.col} ${first.message}` : 'invalid',
        note: `edit rejected at ${at}; ${event.in_force ? `${event.in_force} stays in force` : 'no version in force'}`,
      }
    }
    case 'contract.removed':
      return undefined
  }
}

/** The rows of every contract the registry holds, when the supervisor starts. */
export function contractRows(entries: readonly ContractEntry[]): ContractRow[] {
  return entries
    .map((e) => {
      const [first] = e.issues
      return {
        name: e.name,
        file: e.file,
        status: e.status,
        version: e.active?.version,
        issue: first ? `${first.line}:${first.col} ${first.message}` : undefined,
        note: undefined,
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}
