import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { userError } from '../errors.js'
import { git } from '../git/index.js'
import { initRepository } from '../init/init.js'
import { macdsPackage } from '../package-root.js'

/** The requirement the demo runs. */
export const DEMO_REQUIREMENT = 'Add a farewell function and a shout helper to the greeter'

const IDENTITY = [
  '-c',
  'user.name=macds demo',
  '-c',
  'user.email=demo@macds.invalid',
  '-c',
  'commit.gpgSign=false',
]

/**
 * Makes the demo repository: the bundled sample program (src/demo/sample) committed on main, `macds
 * init` run on it, the demo's settings (src/demo/macds.yaml) applied and its script copied to
 * .macds/demo/, and the scaffold committed. Returns the repository's root.
 */
export async function makeDemoRepository(dir?: string): Promise<string> {
  const assets = join(macdsPackage().dir, 'src', 'demo')
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'macds-demo-')))
  await mkdir(root, { recursive: true })
  if ((await readdir(root)).length > 0)
    throw userError(
      'DEMO_DIR_NOT_EMPTY',
      `${root} is not empty; the demo makes a new repository there`,
      'Give `--dir` a new or empty directory, or leave it out for a temporary one.',
    )
  await cp(join(assets, 'sample'), root, { recursive: true })
  await git(root, ['init', '--quiet', '--initial-branch=main'])
  await commitAll(root, 'Add the sample project')
  await initRepository({ cwd: root, force: false })
  const snippet = await readFile(join(assets, 'macds.yaml'), 'utf8')
  const config = join(root, 'macds.yaml')
  await writeFile(config, applySettings(await readFile(config, 'utf8'), snippet))
  const script = join(root, (parse(snippet) as { script: string }).script)
  await mkdir(join(script, '..'), { recursive: true })
  await cp(join(assets, 'script.yaml'), script)
  await commitAll(root, 'Set up macds')
  return root
}

async function commitAll(root: string, message: string): Promise<void> {
  await git(root, ['add', '--all'])
  await git(root, [...IDENTITY, 'commit', '--quiet', '--no-verify', '--message', message])
}

/**
 * macds.yaml as `macds init` wrote it with each top-level key of the demo's settings set: a key init
 * wrote on one line is replaced in place (its comments stay), a new key is added at the end.
 */
export function applySettings(initText: string, snippetText: string): string {
  const settings = parse(snippetText) as Record<string, unknown>
  let text = initText
  const added: string[] = []
  for (const [key, value] of Object.entries(settings)) {
    const line = new RegExp(`^${key}:[^\\n]*$`, 'm')
    const scalar = typeof value !== 'object' || value === null
    if (scalar && line.test(text)) text = text.replace(line, stringify({ [key]: value }).trimEnd())
    else if (!new RegExp(`^${key}:`, 'm').test(text)) added.push(stringify({ [key]: value }))
    else throw new Error(`macds init wrote ${key} as a block; the demo settings cannot replace it in place`)
  }
  return `${text.trimEnd()}\n\n# Set by macds demo.\n${added.join('')}`
}
