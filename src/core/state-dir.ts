import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The local runtime state directory `<root>/.macds`, created on first use with a `.gitignore` of
 * `*` inside, so that it stays out of `git status` even in a repository that does not ignore it.
 */
export async function stateDir(root: string, ...sub: string[]): Promise<string> {
  const base = join(root, '.macds')
  if (!existsSync(join(base, '.gitignore'))) {
    await mkdir(base, { recursive: true })
    await writeFile(join(base, '.gitignore'), '*\n')
  }
  const dir = join(base, ...sub)
  await mkdir(dir, { recursive: true })
  return dir
}
