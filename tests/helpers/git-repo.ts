import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tempDir } from './temp.js'

/** The environment of plain git calls in tests: the caller's, without GIT_* variables. */
function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value
  return { ...env, LC_ALL: 'C' }
}

/** Runs plain git in `cwd` (hooks and all) and returns its trimmed stdout; throws on failure. */
export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: plainEnv(), encoding: 'utf8', stdio: 'pipe' }).trim()
}

/** Writes files (paths relative to `dir`, directories created as needed). */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
}

/**
 * A fresh repository in a temporary directory (removed after the test): branch `main`, a local
 * identity, no signing, and one commit with `files`.
 */
export async function gitRepo(files: Record<string, string> = { 'README.md': '# test\n' }): Promise<string> {
  const dir = await tempDir('macds-git-')
  sh(dir, 'init', '--quiet', '--initial-branch=main')
  sh(dir, 'config', 'user.name', 'Test Person')
  sh(dir, 'config', 'user.email', 'person@example.com')
  sh(dir, 'config', 'commit.gpgSign', 'false')
  writeFiles(dir, files)
  sh(dir, 'add', '--all')
  sh(dir, 'commit', '--quiet', '--message', 'Initial commit')
  return dir
}

/** Installs an executable hook script in the repository at `dir`. */
export function installHook(dir: string, name: string, script: string): void {
  writeFileSync(join(dir, '.git', 'hooks', name), `#!/bin/sh\n${script}\n`, { mode: 0o755 })
}
