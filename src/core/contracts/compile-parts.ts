import type { ErrorObject } from 'ajv'
import { checkSchema, compileValidator, type SchemaValidator } from './ajv.js'
import { type CompiledCondition, compileCondition } from './cel.js'
import type { IssueList } from './issues.js'
import { locate, locateInString, locateKeyAnywhere, pointerSegments } from './positions.js'
import { describeUnknownField, unknownField } from './schema-fields.js'
import { describeSchemaError, escapePointer } from './suggest.js'
import type { ContractDefinition, ContractPart, ContractRule } from './types.js'

/** A rule ready to evaluate. */
export interface CompiledRule extends ContractRule {
  compiled: CompiledCondition
  /** JSON pointer reported with a violation: as written, or the first field the rule reads. */
  location: string
}

/** Checks a contract's input or output schema and compiles it; problems go to `issues`. */
export function compileSchema(
  schema: Record<string, unknown>,
  part: ContractPart,
  issues: IssueList,
): SchemaValidator | undefined {
  const base = `/${part}`
  const problems = checkSchema(schema)
  if (problems.length > 0) {
    // The meta-schema reports one mistake several ways (enum, anyOf, type); keep the first per place.
    const firstPerPath = new Map<string, ErrorObject>()
    for (const error of problems)
      if (!firstPerPath.has(error.instancePath)) firstPerPath.set(error.instancePath, error)
    for (const error of firstPerPath.values()) {
      // Schema checks run without `verbose`; give the error the value it is about, for the fix.
      const problem = describeSchemaError({ ...error, data: valueAt(schema, error.instancePath) })
      issues.add('SCHEMA_INVALID', `${base}${error.instancePath}`, `${part} schema: ${problem.message}`, {
        hint: problem.suggested_fix,
      })
    }
    return undefined
  }
  try {
    return compileValidator(schema)
  } catch (error) {
    // Ajv's strict mode names the keyword, not where it is: find it in the schema's subtree.
    const message = (error as Error).message
    const keyword = /keyword: "([^"]+)"/.exec(message)?.[1]
    const source = issues.source()
    const at = (keyword && locateKeyAnywhere(source, base, keyword)) || locate(source, base)
    issues.addAt('SCHEMA_INVALID', at, `${part} schema: ${message}`, { pointer: base })
    return undefined
  }
}

/** Compiles every rule whose condition is a string; problems go to `issues`. */
export function compileRules(definition: ContractDefinition, issues: IssueList): CompiledRule[] {
  const rules: CompiledRule[] = []
  const seen = new Set<string>()
  for (const [index, rule] of definition.validation_rules.entries()) {
    if (typeof rule !== 'object' || rule === null || typeof rule.condition !== 'string') continue
    const pointer = `/validation_rules/${index}`
    if (seen.has(rule.id))
      issues.add('DUPLICATE_RULE', `${pointer}/id`, `rule id ${rule.id} is used twice`, { rule_id: rule.id })
    seen.add(rule.id)
    const compiled = compileCondition(rule.condition, rule.applies_to)
    const where = (offset: number) =>
      locateInString(issues.source(), `${pointer}/condition`, rule.condition, offset)
    const about = { pointer: `${pointer}/condition`, rule_id: rule.id }
    if (!compiled.ok) {
      const { code, message, offset } = compiled.problem
      issues.addAt(code, where(offset), message, about)
      continue
    }
    for (const path of compiled.condition.paths) {
      const schema = definition[path.root]
      const found =
        typeof schema === 'object' && schema !== null ? unknownField(schema, path.fields) : undefined
      if (found)
        issues.addAt(
          'CEL_FIELD',
          where(path.start),
          describeUnknownField(path.root, path.fields, found),
          about,
        )
    }
    const location = rule.location ?? ruleLocation(rule.applies_to, compiled.condition)
    rules.push({ ...rule, compiled: compiled.condition, location })
  }
  return rules
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
