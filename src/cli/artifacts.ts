import type { ArtifactVersion } from '../core/artifacts/index.js'
import { userError } from '../core/errors.js'
import { type Command, say } from './command.js'
import { table } from './table.js'

export const artifactsLog: Command = {
  name: 'artifacts log',
  args: '[NAME]',
  summary: 'the changes of one artifact or of all six, newest first, with the agent and run behind each',
  positionals: { min: 0, max: 1 },
  options: {
    ref: {
      type: 'string',
      value: 'REF',
      description: 'read the history of REF, such as a run branch (default HEAD)',
    },
    json: { type: 'boolean', description: 'print the versions as JSON' },
  },
  async run(context) {
    const { artifactName, artifactVersions, repositoryState, revParse } = await core()
    const [name] = context.positionals
    if (name !== undefined) artifactName(name)
    const { root, head } = await repositoryState(context.cwd)
    const ref = typeof context.options.ref === 'string' ? context.options.ref : undefined
    if (ref !== undefined && (ref.startsWith('-') || (await revParse(root, `${ref}^{commit}`)) === undefined))
      throw userError(
        'ARTIFACT_NO_REF',
        `'${ref}' is not a branch or commit of this repository`,
        'Pass a branch such as main or macds/<run-id>; `git branch --list` shows them.',
      )
    const versions =
      head === undefined && ref === undefined ? [] : await artifactVersions(root, name, { ref })
    if (context.options.json) {
      say(context.stdout, JSON.stringify(versions, null, 2))
      return 0
    }
    if (versions.length === 0) {
      say(context.stdout, name ? `no changes to ${name} yet` : 'no changes to artifacts yet')
      return 0
    }
    const header = ['COMMIT', 'DATE', 'ARTIFACT', 'BY', 'RUN', 'STAGE', 'SUBJECT']
    for (const line of table([header, ...versions.map(row)])) say(context.stdout, line)
    return 0
  },
}

export const artifactsDiff: Command = {
  name: 'artifacts diff',
  args: '<NAME> <COMMIT>',
  summary: 'the change a commit made to an artifact, as a unified diff',
  positionals: { min: 2, max: 2 },
  options: {},
  async run(context) {
    const { artifactDiff, artifactName, repositoryState } = await core()
    const [name = '', commit = ''] = context.positionals
    const artifact = artifactName(name)
    const { root } = await repositoryState(context.cwd)
    const diff = await artifactDiff(root, artifact, commit)
    if (diff === '')
      throw userError(
        'ARTIFACT_NOT_CHANGED',
        `commit ${commit} does not change ${artifact}`,
        `List the commits that changed it with \`macds artifacts log ${artifact}\`.`,
      )
    context.stdout.write(diff.endsWith('\n') ? diff : `${diff}\n`)
    return 0
  },
}

/** The artifact and git modules, loaded when an artifacts command runs rather than at start-up. */
async function core() {
  const [artifacts, git] = await Promise.all([
    import('../core/artifacts/index.js'),
    import('../core/git/index.js'),
  ])
  return { ...artifacts, ...git }
}

/** One table row: who changed the artifact is the agent, or the person when no agent did. */
function row(v: ArtifactVersion): string[] {
  const by = v.agent ?? `${v.author} (person)`
  const date = v.time.slice(0, 16).replace('T', ' ')
  return [v.commit.slice(0, 12), date, v.name, by, v.run ?? '-', v.stage ?? '-', v.subject]
}
