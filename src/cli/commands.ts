import type { Command } from './command.js'
import { contractsCheck } from './contracts-check.js'
import { contractsEdit } from './contracts-edit.js'
import { contractsTypes } from './contracts-types.js'
import { contractsList, contractsValidate } from './contracts-validate.js'

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [
  contractsList,
  contractsValidate,
  contractsEdit,
  contractsCheck,
  contractsTypes,
]
