import { parseDocument } from 'yaml'
import { userError } from '../errors.js'
import { ARTIFACT_NAMES, type ArtifactName } from './names.js'

/** Artifacts whose history may only grow: a new version must start with the previous one. */
export const APPEND_ONLY: readonly ArtifactName[] = ['DESIGN_DECISIONS.log']

/** `name` as an artifact name; anything else is an ARTIFACT_UNKNOWN user error. */
export function artifactName(name: string): ArtifactName {
  if ((ARTIFACT_NAMES as readonly string[]).includes(name)) return name as ArtifactName
  throw userError(
    'ARTIFACT_UNKNOWN',
    `'${name}' is not an artifact`,
    `The artifacts are: ${ARTIFACT_NAMES.join(', ')}.`,
  )
}

/** Refuses (ARTIFACT_NOT_OWNER) a write by an agent that does not own the artifact. */
export function checkOwner(name: ArtifactName, agent: string, owners: Record<string, string>): void {
  const owner = owners[name]
  if (owner === agent) return
  if (owner === undefined)
    throw userError(
      'ARTIFACT_NOT_OWNER',
      `${agent} cannot write ${name}: no agent owns it`,
      `Give one agent ${name} in permissions.artifacts of its file in agents/.`,
    )
  throw userError(
    'ARTIFACT_NOT_OWNER',
    `${agent} cannot write ${name}: it is owned by ${owner}`,
    `Only ${owner} changes ${name}; ${agent} can raise the change with ${owner} through an escalation.`,
  )
}

/**
 * Checks a new version of an artifact against its rules: API_CONTRACTS.yaml must parse as YAML
 * (ARTIFACT_INVALID, with line and column), an append-only artifact must keep its previous text
 * as a prefix (ARTIFACT_APPEND_ONLY).
 */
export function checkContent(name: ArtifactName, content: string, previous: string | undefined): void {
  if (name === 'API_CONTRACTS.yaml') {
    const [error] = parseDocument(content).errors
    if (error) {
      const at = error.linePos?.[0]
      const where = at ? ` (line ${at.line}, column ${at.col})` : ''
      const message = (error.message.split('\n')[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, '')
      throw userError(
        'ARTIFACT_INVALID',
        `${name} is not valid YAML${where}: ${message}`,
        'Fix the YAML; the previous version stays in place.',
      )
    }
  }
  if (APPEND_ONLY.includes(name) && previous !== undefined && !content.startsWith(previous))
    throw userError(
      'ARTIFACT_APPEND_ONLY',
      `${name} is append-only: the new version must start with the current text`,
      'Add new entries at the end and leave earlier entries as they are.',
    )
}

/** The text of `previous` with `entry` appended on a line of its own, ending in a newline. */
export function appended(previous: string | undefined, entry: string): string {
  const base =
    previous === undefined || previous === '' || previous.endsWith('\n') ? (previous ?? '') : `${previous}\n`
  return `${base}${entry.endsWith('\n') ? entry : `${entry}\n`}`
}
