import { relative, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { contractNameOf, listContractFiles } from '../core/contracts/files.js'
import { formatIssue } from '../core/contracts/format.js'
import { openInEditor } from '../core/editor.js'
import { userError } from '../core/errors.js'
import { stateDir } from '../core/state-dir.js'
import { type Command, type CommandContext, say } from './command.js'

export const contractsEdit: Command = {
  name: 'contracts edit',
  args: '<name>',
  summary: 'edit a contract in $VISUAL or $EDITOR; it replaces the one in force only once it is valid',
  positionals: { min: 1, max: 1 },
  options: {},
  async run(context) {
    const [name = ''] = context.positionals
    const dir = resolve(context.cwd, 'contracts')
    const file = (await listContractFiles(dir)).find((f) => contractNameOf(f) === name)
    if (!file)
      throw userError(
        'CONTRACT_MISSING',
        `no contract named '${name}' in ${dir}`,
        'Run `macds contracts list` to see the contracts.',
      )
    const { openDraft, saveDraft } = await import('../core/contracts/draft.js')
    const draft = await openDraft(file, await stateDir(context.cwd, 'drafts'), name)
    const shownDraft = relative(context.cwd, draft.draftFile)
    if (draft.resumed)
      say(
        context.stdout,
        `Continuing your unsaved draft ${shownDraft} (delete it to start from the contract).`,
      )
    for (;;) {
      const code = await openInEditor(draft.draftFile)
      if (code !== 0) {
        say(
          context.stdout,
          `The editor exited with code ${code}; the contract is unchanged and your draft is kept at ${shownDraft}.`,
        )
        return 1
      }
      const outcome = await saveDraft(draft)
      if (outcome.status === 'unchanged') {
        say(context.stdout, `No changes to ${relative(context.cwd, file)}.`)
        return 0
      }
      if (outcome.status === 'saved') {
        const from = outcome.previousVersion ? `${outcome.previousVersion} -> ` : ''
        say(
          context.stdout,
          `Saved ${relative(context.cwd, file)}: version ${from}${outcome.version}, ${outcome.rules} rules.`,
        )
        return 0
      }
      for (const issue of outcome.result.issues)
        say(context.stdout, `${formatIssue(issue, outcome.text, shownDraft)}\n`)
      if (
        !(await askYes(context, 'The contract in force is unchanged. Re-open the editor to fix this? [Y/n] '))
      ) {
        say(
          context.stdout,
          `Your draft is kept at ${shownDraft}; \`macds contracts edit ${name}\` continues it.`,
        )
        return 2
      }
    }
  },
}

/** Asks a yes/no question on the command's streams; end of input counts as no. */
async function askYes(context: CommandContext, question: string): Promise<boolean> {
  const rl = createInterface({ input: context.stdin, output: context.stdout, terminal: false })
  try {
    const closed = new Promise<null>((done) => rl.once('close', () => done(null)))
    const answer = await Promise.race([rl.question(question), closed])
    if (answer === null) return false
    return !/^\s*n/i.test(answer)
  } finally {
    rl.close()
  }
}
