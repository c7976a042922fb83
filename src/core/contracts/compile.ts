import { basename, extname } from 'node:path'
import type { ErrorObject } from 'ajv'
import { checkSchema, compileValidator, type SchemaValidator } from './ajv.js'
import { type CompiledCondition, compileCondition } from './cel.js'
import { contractFileSchema } from './contract-file-schema.js'
import {
  locate,
  locateInString,
  locateKeyAnywhere,
  pointerSegments,
  type SourceMap,
  sourceMapOf,
} from './positions.js'
import { describeUnknownField, unknownField } from './schema-fields.js'
import { describeSchemaError, escapePointer } from './suggest.js'
import type { ContractDefinition, ContractIssue, ContractPart, ContractRule, IssueCode } from './types.js'
import { loadYaml } from './yaml-load.js'

/** A rule ready to evaluate. */
export interface CompiledRule extends ContractRule {
  compiled: CompiledCondition
  /** JSON pointer reported with a violation: as written, or the first field the rule reads. */
  location: string
}

/** A contract whose file is valid: schemas compiled, rules type-checked. Immutable once built. */
export interface CompiledContract {
  name: string
  version: string
  description: string | undefined
  file: string
  definition: ContractDefinition
  rules: CompiledRule[]
  schemas: Record<ContractPart, SchemaValidator>
}

export type CompileResult = { ok: true; contract: CompiledContract } | { ok: false; issues: ContractIssue[] }

const shapeValidator = compileValidator(contractFileSchema)

/** Parses and checks the text of a contract file; every problem comes back as an issue with a position. */
export function compileContract(text: string, file: string): CompileResult {
  // Positions are needed only to report problems: the position-keeping parse runs only then.
  let map: SourceMap | undefined
  const source = () => {
    map ??= sourceMapOf(text)
    return map
  }
  const issue = (code: IssueCode, pointer: string, message: string, extra: Partial<ContractIssue> = {}) => {
    const { line, col } = locate(source(), pointer)
    return { file, line, col, code, message, pointer, ...extra }
  }

  const loaded = loadYaml(text)
  let value = loaded.value
  if (!loaded.ok) {
    const { doc, lines } = source()
    if (doc.errors.length > 0) {
      return {
        ok: false,
        issues: doc.errors.map((e) => {
          const { line, col } = lines.linePos(e.pos[0])
          return { file, line, col, code: 'YAML_SYNTAX', message: e.message.split('\n')[0] ?? e.message }
        }),
      }
    }
    value = doc.toJS()
  }
  const issues: ContractIssue[] = []
  if (!shapeValidator(value)) {
    for (const error of shapeValidator.explain(value)) {
      const problem = describeSchemaError(error)
      const key =
        error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined
      const at = error.keyword === 'required' || key !== undefined ? error.instancePath : problem.location
      const { line, col } = locate(source(), at, key === undefined ? {} : { key })
      issues.push({
        file,
        line,
        col,
        code: 'CONTRACT_SHAPE',
        message: problem.message,
        pointer: problem.location,
        hint: problem.suggested_fix,
      })
    }
  }
  // Whatever the shape problems, check every part that is well-formed enough, so one pass reports all.
  const definition = normalise(value)

  const stem = basename(file, extname(file))
  if (typeof definition.name === 'string' && definition.name !== stem) {
    issues.push(
      issue(
        'NAME_MISMATCH',
        '/name',
        `contract name '${definition.name}' does not match the file name '${basename(file)}'`,
        {
          hint: `Rename the file to ${definition.name}.yaml or set name: ${stem}`,
        },
      ),
    )
  }

  const schemas: Partial<Record<ContractPart, SchemaValidator>> = {}
  for (const part of ['input', 'output'] as const) {
    if (!isObject(definition[part])) continue
    const compiled = compileSchema(definition[part], part, source, file)
    if ('issues' in compiled) issues.push(...compiled.issues)
    else schemas[part] = compiled.validate
  }

  const rules: CompiledRule[] = []
  const seen = new Set<string>()
  for (const [index, rule] of definition.validation_rules.entries()) {
    if (!isObject(rule) || typeof rule.condition !== 'string') continue
    const pointer = `/validation_rules/${index}`
    if (seen.has(rule.id)) {
      issues.push(
        issue('DUPLICATE_RULE', `${pointer}/id`, `rule id ${rule.id} is used twice`, { rule_id: rule.id }),
      )
    }
    seen.add(rule.id)
    const compiled = compileCondition(rule.condition, rule.applies_to)
    if (!compiled.ok) {
      const { code, message, offset } = compiled.problem
      const { line, col } = locateInString(source(), `${pointer}/condition`, rule.condition, offset)
      issues.push({ file, line, col, code, message, pointer: `${pointer}/condition`, rule_id: rule.id })
      continue
    }
    for (const path of compiled.condition.paths) {
      const schema = definition[path.root]
      const found = isObject(schema) ? unknownField(schema, path.fields) : undefined
      if (!found) continue
      const { line, col } = locateInString(source(), `${pointer}/condition`, rule.condition, path.start)
      const message = describeUnknownField(path.root, path.fields, found)
      issues.push({
        file,
        line,
        col,
        code: 'CEL_FIELD',
        message,
        pointer: `${pointer}/condition`,
        rule_id: rule.id,
      })
    }
    const location = rule.location ?? ruleLocation(rule.applies_to, compiled.condition)
    rules.push({ ...rule, compiled: compiled.condition, location })
  }

  if (issues.length > 0 || !schemas.input || !schemas.output) return { ok: false, issues }
  const contract: CompiledContract = {
    name: definition.name,
    version: definition.version,
    description: definition.description,
    file,
    definition,
    rules,
    schemas: { input: schemas.input, output: schemas.output },
  }
  return { ok: true, contract }
}

/** The file's value as a definition; fields may still be wrong when shape issues were found. */
function normalise(value: unknown): ContractDefinition {
  const raw = (isObject(value) ? value : {}) as Partial<ContractDefinition>
  const list = Array.isArray(raw.validation_rules) ? raw.validation_rules : []
  const rules = list.map((r) =>
    isObject(r)
      ? { ...r, applies_to: r.applies_to === 'input' ? ('input' as const) : ('output' as const) }
      : r,
  )
  return { ...raw, validation_rules: rules } as ContractDefinition
}

function isObject(value: unknown): value is Record<string, unknown> & Partial<ContractRule> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function compileSchema(
  schema: Record<string, unknown>,
  part: ContractPart,
  source: () => SourceMap,
  file: string,
): { validate: SchemaValidator } | { issues: ContractIssue[] } {
  const base = `/${part}`
  const problems = checkSchema(schema)
  if (problems.length > 0) {
    // The meta-schema reports one mistake several ways (enum, anyOf, type); keep the first per place.
    const firstPerPath = new Map<string, ErrorObject>()
    for (const error of problems)
      if (!firstPerPath.has(error.instancePath)) firstPerPath.set(error.instancePath, error)
    const issues = [...firstPerPath.values()].map((error) => {
      // Schema checks run without `verbose`; give the error the value it is about, for the fix.
      const problem = describeSchemaError({ ...error, data: valueAt(schema, error.instancePath) })
      const pointer = `${base}${error.instancePath}`
      const { line, col } = locate(source(), pointer)
      const message = `${part} schema: ${problem.message}`
      return {
        file,
        line,
        col,
        code: 'SCHEMA_INVALID' as const,
        message,
        pointer,
        hint: problem.suggested_fix,
      }
    })
    return { issues }
  }
  try {
    return { validate: compileValidator(schema) }
  } catch (error) {
    const message = (error as Error).message
    const keyword = /keyword: "([^"]+)"/.exec(message)?.[1]
    const at = (keyword && locateKeyAnywhere(source(), base, keyword)) || locate(source(), base)
    return {
      issues: [{ file, ...at, code: 'SCHEMA_INVALID', message: `${part} schema: ${message}`, pointer: base }],
    }
  }
}

function ruleLocation(part: ContractPart, condition: CompiledCondition): string {
  const path = condition.paths.find((p) => p.root === part)
  return path ? path.fields.map((f) => `/${escapePointer(f)}`).join('') : ''
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root
  for (const segment of pointerSegments(pointer))
    value = (value as Record<string, unknown> | undefined)?.[segment]
  return value
}
