/**
 * What an exported symbol is. `const` is an `export const`, `variable` an `export let` or `var` (or a
 * CommonJS `exports.x =`), `default` the default export (also `export =` and `module.exports =`) and
 * `re-export` a name exported from another module (`export { a } from`, `export * from`).
 */
export type SymbolKind =
  | 'function'
  | 'class'
  | 'interface'
  | 'type'
  | 'const'
  | 'variable'
  | 'enum'
  | 'namespace'
  | 'default'
  | 're-export'

/**
 * One name a JavaScript or TypeScript module exports. `name` is the exported name, except for the
 * default export, whose name is the local one when it has one (`export default class Foo` is `Foo`) and
 * `default` otherwise; `export * from './m'` is named `*`. `from` is the module a re-export comes from.
 */
export interface RepoSymbol {
  name: string
  kind: SymbolKind
  from?: string
}

/** One tracked file of a repository map. */
export interface RepoFile {
  /** Relative to the map's root, with forward slashes, as git prints it. */
  path: string
  /** Size in bytes of the file in the working tree (0 when it is missing or a submodule). */
  size: number
  /** The blob id git's index has for the file. */
  blob: string
  /**
   * The exported symbols of a JavaScript or TypeScript file, as the working tree has it (absent for other
   * languages, for files over the parse cap, and for symbolic links, submodules and missing files).
   */
  symbols?: RepoSymbol[]
  /** Set when the working tree differs from the index: the file was edited, or deleted. */
  changed?: 'modified' | 'deleted'
  /** Set on a JavaScript or TypeScript file that is listed but was not parsed. */
  skipped?: 'too_large'
}

/** The files git tracks under `root`, in git's order (sorted by path). */
export interface RepoMap {
  /** The absolute directory the map was built for. */
  root: string
  files: RepoFile[]
}

/** Options of `buildRepoMap`. */
export interface RepoMapOptions {
  /** JavaScript and TypeScript files larger than this many bytes are listed but not parsed. Default 512 KiB. */
  maxParseBytes?: number
  /** Read and write the cache under `<root>/.macds/cache/` (true, the default), in this directory, or not at all. */
  cache?: boolean | string
  /** Called each time a file's text is parsed (not when its symbols come from the cache). */
  onParse?: (path: string) => void
  /** Stops the build (and the git processes it runs); the promise rejects with the signal's reason. */
  signal?: AbortSignal
}
