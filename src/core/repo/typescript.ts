import { createRequire } from 'node:module'
import type ts from 'typescript'

/** The TypeScript compiler module, as `loadTypeScript` gives it. */
export type TypeScript = typeof ts

let loaded: TypeScript | undefined

/**
 * The TypeScript compiler, loaded on first use: it is 9 MB of JavaScript, and only a build with a file to
 * parse needs it. It is required, not imported: `import()` of this CommonJS file makes Node scan all of it
 * for export names first (about 300 ms more), and esbuild would bundle it into a chunk that fails to
 * load (it reads `__filename`). Loaded this way it stays in node_modules, outside the bundle.
 */
export async function loadTypeScript(): Promise<TypeScript> {
  loaded ??= createRequire(import.meta.url)('typescript') as TypeScript
  return loaded
}
