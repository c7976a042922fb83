import { readFile } from 'node:fs/promises'
import type { ErrorObject } from 'ajv'
import type { SchemaValidator } from './ajv.js'
import type { FileShape } from './file-shape.js'
import { IssueList } from './issues.js'
import { locate } from './positions.js'
import { describeSchemaError } from './suggest.js'
import type { IssueCode } from './types.js'
import { loadYaml } from './yaml-load.js'

/**
 * The value of a YAML file: the fast load, or the position-keeping parse when that fails, whose
 * syntax errors are added to `issues`. Used by every file macds reads (contracts, agents, config, scripts).
 */
export function parseYamlFile(text: string, issues: IssueList): unknown {
  const loaded = loadYaml(text)
  if (loaded.ok) return loaded.value
  const { doc, lines } = issues.source()
  for (const error of doc.errors) {
    issues.addAt('YAML_SYNTAX', lines.linePos(error.pos[0]), error.message.split('\n')[0] ?? error.message)
  }
  return doc.toJS()
}

/** Adds an issue with `code` for every way `value` does not fit the file format `validator` checks. */
export function checkShape(
  value: unknown,
  validator: SchemaValidator,
  issues: IssueList,
  code: IssueCode,
): void {
  if (!validator(value)) addShapeIssues(validator.explain(value), issues, code)
}

/** An issue with `code` for each schema error, at the position in the file it is about. */
function addShapeIssues(errors: readonly ErrorObject[], issues: IssueList, code: IssueCode): void {
  for (const error of errors) {
    const problem = describeSchemaError(error)
    // A missing or unknown property is shown at its object or at its key, not at a path that does not exist.
    const key = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined
    const at = error.keyword === 'required' || key !== undefined ? error.instancePath : problem.location
    const position = locate(issues.source(), at, key === undefined ? {} : { key })
    issues.addAt(code, position, problem.message, { pointer: problem.location, hint: problem.suggested_fix })
  }
}

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A YAML file read and checked against its format: its text, value and issues (a read failure is one). */
export interface CheckedFile {
  file: string
  text: string | undefined
  value: unknown
  issues: IssueList
}

/** Reads a YAML file and checks it against the file format `shape`, collecting every issue. */
export async function readCheckedYaml(file: string, shape: FileShape, code: IssueCode): Promise<CheckedFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const issues = new IssueList(file, '')
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    issues.addAt('READ_FAILED', { line: 1, col: 1 }, `cannot read the file (${reason})`)
    return { file, text: undefined, value: undefined, issues }
  }
  const issues = new IssueList(file, text)
  const value = parseYamlFile(text, issues)
  if (issues.items.length === 0 && !shape(value)) addShapeIssues(await shape.explain(value), issues, code)
  return { file, text, value, issues }
}
