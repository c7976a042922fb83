import { type DetectedStep, type EcosystemMatch, type RepoFiles, step } from './step.js'

interface PackageManager {
  name: 'npm' | 'pnpm' | 'yarn' | 'bun'
  lockfile: string | undefined
  install: string[]
}

/** Scripts that check formatting without rewriting files, in order of preference. */
const FORMAT_CHECK_SCRIPTS = ['format:check', 'fmt:check', 'check:format', 'format-check', 'prettier:check']

/** Options of common formatters that make them report instead of rewrite. */
const CHECK_FLAG = /(^|\s)(--check|--list-different|-l)(\s|$)/

/** The test script `npm init` writes, which always fails. */
const PLACEHOLDER_TEST = 'no test specified'

/**
 * A Node.js project: install with the package manager its lock file names, then the package.json
 * scripts for format (a check only), lint, build (or typecheck) and test.
 */
export function detectNode(files: RepoFiles): EcosystemMatch | undefined {
  const text = files.get('package.json')
  if (text === undefined) return undefined
  const notes: string[] = []
  const scripts = readScripts(text, notes)
  const manager = packageManager(files, text)
  const manifests = manager.lockfile ? ['package.json', manager.lockfile] : ['package.json']
  const steps: DetectedStep[] = [step('install', manager.install, { when_changed: manifests })]
  const used: string[] = []
  const add = (name: DetectedStep['name'], script: string | undefined) => {
    if (script === undefined) return
    used.push(script)
    steps.push(step(name, runScript(manager, script)))
  }

  const format = FORMAT_CHECK_SCRIPTS.find((s) => s in scripts)
  if (format) add('format', format)
  else if (scripts.format !== undefined && CHECK_FLAG.test(scripts.format)) add('format', 'format')
  else if (scripts.format !== undefined) {
    notes.push(
      'the `format` script rewrites files, so it is not used; add a check script (e.g. `prettier --check .`) as pipeline.format',
    )
  }
  add('lint', 'lint' in scripts ? 'lint' : undefined)
  add(
    'build',
    ['build', 'typecheck', 'type-check'].find((s) => s in scripts),
  )
  const test = scripts.test
  if (test !== undefined && test.includes(PLACEHOLDER_TEST)) {
    notes.push("package.json's test script is npm's placeholder that always fails; it is not used")
  } else add('test', test === undefined ? undefined : 'test')

  const scriptsPart = used.length > 0 ? `scripts ${used.join(', ')}` : 'no usable scripts'
  const lock = manager.lockfile ? `, ${manager.lockfile}` : ', no lock file'
  return { source: `package.json (${scriptsPart}; ${manager.name}${lock})`, steps, notes }
}

function readScripts(text: string, notes: string[]): Record<string, string> {
  let pkg: unknown
  try {
    pkg = JSON.parse(text)
  } catch (error) {
    notes.push(`package.json is not valid JSON (${(error as Error).message}); its scripts were not read`)
    return {}
  }
  const scripts = (pkg as { scripts?: unknown } | null)?.scripts
  if (typeof scripts !== 'object' || scripts === null) return {}
  return Object.fromEntries(Object.entries(scripts).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >
}

function packageManager(files: RepoFiles, text: string): PackageManager {
  if (files.has('pnpm-lock.yaml')) {
    return { name: 'pnpm', lockfile: 'pnpm-lock.yaml', install: ['pnpm', 'install', '--frozen-lockfile'] }
  }
  if (files.has('yarn.lock')) {
    const berry = files.has('.yarnrc.yml') || /"packageManager"\s*:\s*"yarn@[2-9]/.test(text)
    const frozen = berry ? '--immutable' : '--frozen-lockfile'
    return { name: 'yarn', lockfile: 'yarn.lock', install: ['yarn', 'install', frozen] }
  }
  const bunLock = ['bun.lock', 'bun.lockb'].find((f) => files.has(f))
  if (bunLock) return { name: 'bun', lockfile: bunLock, install: ['bun', 'install', '--frozen-lockfile'] }
  const npmLock = ['package-lock.json', 'npm-shrinkwrap.json'].find((f) => files.has(f))
  if (npmLock) return { name: 'npm', lockfile: npmLock, install: ['npm', 'ci'] }
  return { name: 'npm', lockfile: undefined, install: ['npm', 'install'] }
}

function runScript(manager: PackageManager, script: string): string[] {
  if (script === 'test' && manager.name !== 'bun') return [manager.name, 'test']
  return [manager.name, 'run', script]
}
