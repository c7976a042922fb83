import { lstat, readdir, readFile } from 'node:fs/promises'
import { basename, join, relative, sep } from 'node:path'
import { ARTIFACT_NAMES } from '../artifacts/names.js'
import { CONFIG_FILE } from '../config/load.js'
import { userError } from '../errors.js'
import { macdsPackage } from '../package-root.js'
import { artifactTemplates } from './artifact-templates.js'
import { renderConfig } from './config-template.js'
import { type Detection, detectPipeline } from './detect.js'
import { updateGitignore } from './gitignore.js'
import { readRepoFiles } from './repo-files.js'
import { ignoredPaths, repositoryRoot } from './repo-check.js'
import { summarizePaths } from './summary.js'
import { type FileToWrite, writeFilesTogether } from './write-files.js'

export interface InitOptions {
  /** Where macds was started; the repository holding it is initialised at its top level. */
  cwd: string
  /** Overwrite files that already exist. */
  force: boolean
  /** The directory holding the default contracts/, agents/ and memory/ (default: the macds package). */
  packageDir?: string
}

/** What `initRepository` did. Paths are relative to `root`. */
export interface InitResult {
  root: string
  created: string[]
  replaced: string[]
  /** The lines added to .gitignore (empty: it already had them), and whether the file is new. */
  gitignore: { added: string[]; created: boolean }
  detection: Detection
}

/** The directories of the package copied into a new repository file by file. */
const COPIED_DIRS = ['contracts', 'agents']
const MEMORY_POLICY = 'memory/policy.yaml'
const GITIGNORE = '.gitignore'

/**
 * Scaffolds macds in the repository holding `cwd`: macds.yaml with the pipeline detected from the
 * repository, the default contracts, agents and memory policy, the six artifacts, and .gitignore
 * entries for local state. Nothing is written when a file would be overwritten without `force`, and a
 * failure while writing leaves no partial set behind.
 */
export async function initRepository(options: InitOptions): Promise<InitResult> {
  const root = await repositoryRoot(options.cwd)
  const detection = detectPipeline(await readRepoFiles(root))
  const files = await plannedFiles(root, detection, options.packageDir ?? macdsPackage().dir)
  const paths = files.map((f) => f.path)
  const existing = await existingPaths(root, paths)
  refuseConflicts(existing, options.force)

  const oldIgnore = await readFile(join(root, GITIGNORE), 'utf8').catch(() => undefined)
  const gitignore = updateGitignore(oldIgnore, await ignoredPaths(root, paths))
  const writes = gitignore.added.length > 0 ? [...files, { path: GITIGNORE, content: gitignore.text }] : files
  await writeFilesTogether(root, writes)

  const replaced = new Set(existing.map((e) => e.path))
  return {
    root,
    created: paths.filter((p) => !replaced.has(p)),
    replaced: paths.filter((p) => replaced.has(p)),
    gitignore: { added: gitignore.added, created: oldIgnore === undefined && gitignore.added.length > 0 },
    detection,
  }
}

/** Stops before anything is written when a target is a directory, or exists and `force` is off. */
function refuseConflicts(existing: readonly ExistingPath[], force: boolean): void {
  const dirs = existing.filter((e) => e.isDirectory).map((e) => e.path)
  if (dirs.length > 0) {
    throw userError(
      'INIT_DIRECTORY_IN_THE_WAY',
      `macds init writes files where there are directories: ${dirs.join(', ')}; nothing was written`,
      'Move or remove those directories, then run `macds init` again.',
    )
  }
  if (existing.length === 0 || force) return
  const list = summarizePaths(existing.map((e) => e.path)).map((line) => `    ${line}`)
  const files = `${existing.length} existing file${existing.length === 1 ? '' : 's'}`
  throw userError(
    'INIT_WOULD_OVERWRITE',
    `macds init would overwrite ${files}; nothing was written:\n${list.join('\n')}`,
    'Run `macds init --force` to overwrite them (other files are left alone).',
  )
}

/** Every file init writes besides .gitignore, in the order they are reported. */
async function plannedFiles(root: string, detection: Detection, packageDir: string): Promise<FileToWrite[]> {
  const files: FileToWrite[] = [{ path: CONFIG_FILE, content: renderConfig(detection) }]
  for (const dir of COPIED_DIRS) {
    for (const file of await listFiles(join(packageDir, dir))) {
      files.push({ path: toPosix(relative(packageDir, file)), content: await readFile(file) })
    }
  }
  const artifacts = artifactTemplates(basename(root))
  for (const name of ARTIFACT_NAMES) files.push({ path: `artifacts/${name}`, content: artifacts[name] })
  files.push({ path: MEMORY_POLICY, content: await readFile(join(packageDir, MEMORY_POLICY)) })
  return files
}

/** The regular files under a directory, recursively, sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

interface ExistingPath {
  path: string
  isDirectory: boolean
}

/** The paths that exist (as anything, a symbolic link included), in the order given. */
async function existingPaths(root: string, paths: readonly string[]): Promise<ExistingPath[]> {
  const found = await Promise.all(
    paths.map(async (path) => {
      const info = await lstat(join(root, path)).catch(() => undefined)
      return info && { path, isDirectory: info.isDirectory() }
    }),
  )
  return found.filter((f) => f !== undefined)
}

function toPosix(path: string): string {
  return path.split(sep).join('/')
}
