import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { type CompileResult, compileContract } from './compile.js'

/**
 * An edit of a contract that happens on a copy (the draft), so that the contract in force is
 * replaced only by a version that compiles. The draft outlives a failed attempt: nothing typed is lost.
 */
export interface ContractDraft {
  name: string
  /** The contract file in force. */
  file: string
  /** The copy being edited. */
  draftFile: string
  /** True when an earlier unsaved draft was found and is being continued. */
  resumed: boolean
}

/** Creates the draft from the contract, or continues an earlier draft that differs from it. */
export async function openDraft(file: string, draftsDir: string, name: string): Promise<ContractDraft> {
  const draftFile = join(draftsDir, `${name}.yaml`)
  const current = await readFile(file, 'utf8')
  const earlier = await readFile(draftFile, 'utf8').catch(() => undefined)
  const resumed = earlier !== undefined && earlier !== current
  if (!resumed) {
    await mkdir(draftsDir, { recursive: true })
    await writeFile(draftFile, current)
  }
  return { name, file, draftFile, resumed }
}

export type DraftOutcome =
  | { status: 'unchanged' }
  | { status: 'saved'; previousVersion: string | undefined; version: string; rules: number }
  | { status: 'invalid'; text: string; result: Extract<CompileResult, { ok: false }> }

/**
 * Checks the draft. A valid, changed draft atomically replaces the contract (write then rename,
 * so a watcher never sees half a file) and the draft is removed; an invalid one stays for another try.
 */
export async function saveDraft(draft: ContractDraft): Promise<DraftOutcome> {
  const text = await readFile(draft.draftFile, 'utf8')
  const current = await readFile(draft.file, 'utf8')
  if (text === current) {
    await rm(draft.draftFile, { force: true })
    return { status: 'unchanged' }
  }
  // Compiled under the contract's own path so that the name check applies; issues point at the draft.
  const result = compileContract(text, draft.file)
  if (!result.ok) {
    const issues = result.issues.map((i) => ({ ...i, file: draft.draftFile }))
    return { status: 'invalid', text, result: { ok: false, issues } }
  }
  const before = compileContract(current, draft.file)
  const temporary = join(dirname(draft.file), `.${draft.name}.yaml.saving`)
  await writeFile(temporary, text)
  await rename(temporary, draft.file)
  await rm(draft.draftFile, { force: true })
  return {
    status: 'saved',
    previousVersion: before.ok ? before.contract.version : undefined,
    version: result.contract.version,
    rules: result.contract.rules.length,
  }
}
