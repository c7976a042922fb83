import { posix } from 'node:path'
import { userError } from '../errors.js'
import { commitDiff, pathLog, revParse } from '../git/index.js'
import { artifactName } from './checks.js'
import { ARTIFACT_NAMES, type ArtifactName } from './names.js'

/** One version of one artifact: the commit that made it and who made it. */
export interface ArtifactVersion {
  name: ArtifactName
  commit: string
  /** The agent (trailer Macds-Agent); undefined for a change a person committed. */
  agent: string | undefined
  run: string | undefined
  stage: string | undefined
  /** The commit's author name: `macds <agent>`, or the person's name. */
  author: string
  /** Author date, ISO 8601. */
  time: string
  subject: string
}

export interface HistoryOptions {
  /** The artifacts' directory relative to `cwd` (default `artifacts`). */
  dir?: string
  /** Where to read history from (default HEAD), such as a run branch `macds/<run-id>`. */
  ref?: string
}

/**
 * The versions of one artifact, or of all six, newest first. A commit that changes several
 * artifacts gives one version of each.
 */
export async function artifactVersions(
  cwd: string,
  name?: string,
  options: HistoryOptions = {},
): Promise<ArtifactVersion[]> {
  const dir = options.dir ?? 'artifacts'
  const names = name === undefined ? ARTIFACT_NAMES : [artifactName(name)]
  const commits = await pathLog(
    cwd,
    names.map((n) => posix.join(dir, n)),
    { ref: options.ref },
  )
  return commits.flatMap((c) =>
    c.files
      .map((file) => posix.basename(file))
      .filter((file): file is ArtifactName => (names as readonly string[]).includes(file))
      .map((file) => ({
        name: file,
        commit: c.commit,
        agent: c.trailers['Macds-Agent'],
        run: c.trailers['Macds-Run'],
        stage: c.trailers['Macds-Stage'],
        author: c.authorName,
        time: c.time,
        subject: c.subject,
      })),
  )
}

/**
 * The unified diff of `name` that `commit` made, against the commit's first parent. Unknown names
 * and commits are user errors; a commit that did not change the artifact gives an empty string.
 */
export async function artifactDiff(
  cwd: string,
  name: string,
  commit: string,
  options: Pick<HistoryOptions, 'dir'> = {},
): Promise<string> {
  const artifact = artifactName(name)
  const id = /^[^-]/.test(commit) ? await revParse(cwd, `${commit}^{commit}`) : undefined
  if (id === undefined)
    throw userError(
      'ARTIFACT_NO_COMMIT',
      `'${commit}' is not a commit of this repository`,
      `List the versions of ${artifact} with \`macds artifacts log ${artifact}\`.`,
    )
  return commitDiff(cwd, id, posix.join(options.dir ?? 'artifacts', artifact))
}
