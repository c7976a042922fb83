import { agentsList } from './agents-list.js'
import { approveCommand, rejectCommand } from './approve.js'
import { artifactsDiff, artifactsLog } from './artifacts.js'
import { agentsTry } from './agents-try.js'
import type { Command } from './command.js'
import { demoCommand } from './demo.js'
import { contractsCheck } from './contracts-check.js'
import { contractsEdit } from './contracts-edit.js'
import { contractsTypes } from './contracts-types.js'
import { contractsList, contractsValidate } from './contracts-validate.js'
import { cleanCommand } from './clean.js'
import { doctorCommand } from './doctor.js'
import { initCommand } from './init.js'
import { memoryAdd, memoryList, memoryPrune } from './memory.js'
import { reportCommand } from './report.js'
import { resumeCommand } from './resume.js'
import { runCommand } from './run.js'
import { statusCommand } from './status.js'
import { validateCommand } from './validate.js'

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [
  initCommand,
  runCommand,
  resumeCommand,
  statusCommand,
  approveCommand,
  rejectCommand,
  contractsList,
  contractsValidate,
  contractsEdit,
  contractsCheck,
  contractsTypes,
  agentsList,
  agentsTry,
  artifactsLog,
  artifactsDiff,
  validateCommand,
  cleanCommand,
  memoryList,
  memoryAdd,
  memoryPrune,
  reportCommand,
  demoCommand,
  doctorCommand,
]
