import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: { dir: string; version: string } | undefined

/**
 * The installed macds package: its directory (which holds the default contracts/ and agents/)
 * and its version. Found by walking up from this module, which works both for the bundle in
 * dist/ and for the sources under src/.
 */
export function macdsPackage(): { dir: string; version: string } {
  if (cached) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'macds') {
        cached = { dir, version: pkg.version ?? '0.0.0' }
        return cached
      }
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the macds package.json above the running module')
    dir = parent
  }
}
