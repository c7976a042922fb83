import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { commit } from '../git/index.js'
import { oneAtATime } from '../one-at-a-time.js'
import { appended, artifactName, checkContent, checkOwner } from './checks.js'
import type { ArtifactName } from './names.js'

/** A change to one artifact by one agent, in a stage of a run. */
export interface ArtifactWrite {
  name: string
  content: string
  agent: string
  run: string
  stage: string
}

/** The commit an artifact change made; undefined when the artifact already had that content. */
export type ArtifactCommit = { commit: string } | undefined

/** Reads and writes the artifacts of one work tree; each change is its own commit. */
export interface ArtifactStore {
  /** The artifact's text in the work tree, or undefined when it does not exist yet. */
  read(name: string): Promise<string | undefined>
  /**
   * Replaces an artifact's text and commits it alone, attributed to the agent and the run. Refuses
   * an unknown name, a writer that is not the owner, invalid YAML in API_CONTRACTS.yaml and a
   * rewrite of an append-only artifact; a refused write changes nothing.
   */
  write(change: ArtifactWrite): Promise<ArtifactCommit>
  /** Adds `content` as a new entry at the end of the artifact (rulings to DESIGN_DECISIONS.log). */
  append(change: ArtifactWrite): Promise<ArtifactCommit>
}

export interface ArtifactStoreOptions {
  /** The work tree (a run's worktree) whose artifacts the store keeps. */
  cwd: string
  /** Artifact name → id of the agent that owns it (from the agents' permissions.artifacts). */
  owners: Record<string, string>
  /** The artifacts' directory, relative to `cwd`. */
  dir?: string
}

/**
 * The artifact store of a work tree. Writes through one store are made one after another; two
 * stores must not write in the same work tree at the same time (git's index is shared).
 */
export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  const { cwd, owners, dir = 'artifacts' } = options
  const serial = oneAtATime()
  const fileOf = (name: ArtifactName) => join(cwd, dir, name)
  const read = (name: ArtifactName) => readFile(fileOf(name), 'utf8').catch(missing)

  async function save(
    change: ArtifactWrite,
    next: (previous: string | undefined) => string,
  ): Promise<ArtifactCommit> {
    const name = artifactName(change.name)
    checkOwner(name, change.agent, owners)
    const previous = await read(name)
    const content = next(previous)
    checkContent(name, content, previous)
    if (content !== previous) {
      await mkdir(join(cwd, dir), { recursive: true })
      await writeFile(fileOf(name), content)
    }
    try {
      const made = await commit(cwd, {
        message: `${change.agent}: update ${name}`,
        author: { name: `macds ${change.agent}`, email: `${change.agent}@macds.invalid` },
        trailers: { 'Macds-Run': change.run, 'Macds-Agent': change.agent, 'Macds-Stage': change.stage },
        paths: [posix.join(dir, name)],
      })
      return made === undefined ? undefined : { commit: made }
    } catch (error) {
      if (content !== previous) await restore(fileOf(name), previous)
      throw error
    }
  }

  return {
    read: (name) => read(artifactName(name)),
    write: (change) => serial(() => save(change, () => change.content)),
    append: (change) => serial(() => save(change, (previous) => appended(previous, change.content))),
  }
}

function missing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined
  throw error
}

/** Puts back the text an artifact had before a write whose commit failed. */
async function restore(file: string, previous: string | undefined): Promise<void> {
  if (previous === undefined) await rm(file, { force: true })
  else await writeFile(file, previous)
}
