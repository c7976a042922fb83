import type { CompiledContract, CompiledRule } from './compile.js'
import { describeSchemaError } from './suggest.js'
import type { ContractPart, ValidationResult, Violation } from './types.js'

export interface ValidateOptions {
  /** For output validation: the input the agent was given, visible to rules as `input`. */
  input?: unknown
  /** Skip output rules that read `input` (when no input is known, as in `contracts check`). */
  skipInputRules?: boolean
}

/**
 * Checks a value against a contract's schema and rules. Never throws: a rule that cannot be
 * evaluated is a violation that says so. `ok` is false when any violation is an error.
 */
export function validateValue<T = unknown>(
  contract: CompiledContract,
  part: ContractPart,
  value: unknown,
  options: ValidateOptions = {},
): ValidationResult<T> {
  const violations: Violation[] = []
  const schema = contract.schemas[part]
  const schemaOk = schema(value)
  if (!schemaOk) {
    for (const error of schema.explain(value)) {
      violations.push({ rule_id: 'SCHEMA', severity: 'error', ...describeSchemaError(error) })
    }
  }
  const context = part === 'output' ? { input: options.input ?? {}, output: value } : { input: value }
  for (const rule of contract.rules) {
    if (rule.applies_to !== part) continue
    if (options.skipInputRules && part === 'output' && rule.compiled.readsInput) continue
    const violation = checkRule(rule, context, schemaOk)
    if (violation) violations.push(violation)
  }
  return { ok: !violations.some((v) => v.severity === 'error'), violations, value: value as T }
}

function checkRule(
  rule: CompiledRule,
  context: Record<string, unknown>,
  schemaOk: boolean,
): Violation | undefined {
  const location = rule.location
  let result: unknown
  try {
    result = rule.compiled.evaluate(context)
  } catch (error) {
    // A value that already breaks the schema makes many rules unevaluable; the schema violation says why.
    if (!schemaOk) return undefined
    const reason = ((error as Error).message ?? String(error)).split('\n')[0]
    return {
      rule_id: rule.id,
      severity: rule.severity,
      message: `${rule.message} (the rule could not be evaluated: ${reason})`,
      location,
      suggested_fix: rule.suggested_fix,
    }
  }
  if (result === true) return undefined
  const message =
    result === false ? rule.message : `${rule.message} (the rule gave ${typeof result}, not a boolean)`
  return { rule_id: rule.id, severity: rule.severity, message, location, suggested_fix: rule.suggested_fix }
}
