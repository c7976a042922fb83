import type { ErrorObject } from 'ajv'

/**
 * The shape of one of macds' own files (macds.yaml, an agent, the memory policy, a script), checked by a
 * validator compiled at build time (src/generated/file-validators.js). Calling it answers "valid?";
 * `explain` lists every problem, and loads Ajv to compile the schema with every error the first time a
 * file fails: a command whose files are fine never loads the compiler.
 */
export interface FileShape {
  (value: unknown): boolean
  explain(value: unknown): Promise<ErrorObject[]>
}

/** The file shape `schema`, checked by `check`, its build-time compilation. */
export function fileShape(check: (value: unknown) => boolean, schema: object): FileShape {
  let explain: ((value: unknown) => ErrorObject[]) | undefined
  const shape = (value: unknown) => check(value)
  shape.explain = async (value: unknown) => {
    explain ??= (await import('./ajv.js')).explainer(schema)
    return explain(value)
  }
  return shape
}
