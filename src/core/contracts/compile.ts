import { basename, extname } from 'node:path'
import * as validators from '../../generated/file-validators.js'
import { type SchemaValidator, withExplanations } from './ajv.js'
import { type CompiledRule, compileRules, compileSchema } from './compile-parts.js'
import { contractFileSchema } from './contract-file-schema.js'
import { IssueList } from './issues.js'
import { checkShape, isObject, parseYamlFile } from './shape.js'
import type { ContractDefinition, ContractIssue, ContractPart } from './types.js'

export type { CompiledRule } from './compile-parts.js'

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

const shapeValidator = withExplanations(validators.contract, contractFileSchema)

/**
 * Parses and checks the text of a contract file. Every problem comes back as an issue with a
 * position; whatever the shape problems, every part that is well-formed enough is still checked,
 * so that one pass reports them all.
 */
export function compileContract(text: string, file: string): CompileResult {
  const issues = new IssueList(file, text)
  const value = parseYamlFile(text, issues)
  if (issues.items.length > 0) return { ok: false, issues: issues.items }

  checkShape(value, shapeValidator, issues, 'CONTRACT_SHAPE')
  const definition = normalise(value)
  const stem = basename(file, extname(file))
  if (typeof definition.name === 'string' && definition.name !== stem) {
    const message = `contract name '${definition.name}' does not match the file name '${basename(file)}'`
    issues.add('NAME_MISMATCH', '/name', message, {
      hint: `Rename the file to ${definition.name}.yaml or set name: ${stem}`,
    })
  }
  const input = isObject(definition.input) ? compileSchema(definition.input, 'input', issues) : undefined
  const output = isObject(definition.output) ? compileSchema(definition.output, 'output', issues) : undefined
  const rules = compileRules(definition, issues)

  if (issues.items.length > 0 || !input || !output) return { ok: false, issues: issues.items }
  const { name, version, description } = definition
  return {
    ok: true,
    contract: { name, version, description, file, definition, rules, schemas: { input, output } },
  }
}

/** The file's value as a definition; fields may still be wrong when shape issues were found. */
function normalise(value: unknown): ContractDefinition {
  const raw = (isObject(value) ? value : {}) as Partial<ContractDefinition>
  const list = Array.isArray(raw.validation_rules) ? raw.validation_rules : []
  const rules = list.map((r) =>
    isObject(r) ? { ...r, applies_to: r.applies_to === 'input' ? 'input' : 'output' } : r,
  )
  return { ...raw, validation_rules: rules } as ContractDefinition
}
