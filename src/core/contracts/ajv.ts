import type { ErrorObject } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import metaValidator from '../../generated/json-schema-validator.js'
import { AJV_OPTIONS } from './ajv-options.js'

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }

/**
 * A compiled JSON Schema. Calling it answers "valid?" fast; `explain` lists every problem, with the
 * schema and data each is about, and is compiled only the first time a value fails: errors are the
 * slow path, and compiling every contract twice at start-up would double its cost.
 */
export interface SchemaValidator {
  (value: unknown): boolean
  explain(value: unknown): ErrorObject[]
}

let lean: Ajv2020 | undefined
let full: Ajv2020 | undefined

/**
 * Problems that make `schema` not a JSON Schema 2020-12 (a misspelt type, a keyword with the wrong
 * kind of value), found by the meta-schema validator compiled at build time.
 */
export function checkSchema(schema: unknown): ErrorObject[] {
  return metaValidator(schema) ? [] : [...(metaValidator.errors ?? [])]
}

/** The Ajv that compiles the fast validators: one for every contract, schemas checked beforehand. */
function schemaAjv(): Ajv2020 {
  lean ??= withFormats(new Ajv2020(AJV_OPTIONS))
  return lean
}

function explainingAjv(): Ajv2020 {
  full ??= withFormats(new Ajv2020({ ...AJV_OPTIONS, allErrors: true, verbose: true }))
  return full
}

function withFormats(ajv: Ajv2020): Ajv2020 {
  addFormats.default(ajv)
  return ajv
}

/** Compiles a schema that `checkSchema` accepted; throws Ajv's error on strict-mode problems. */
export function compileValidator(schema: Record<string, unknown>): SchemaValidator {
  // A reloaded contract may reuse its schema's $id; the newest version replaces the old one.
  const id = typeof schema.$id === 'string' ? schema.$id : undefined
  if (id) schemaAjv().removeSchema(id)
  return withExplanations(schemaAjv().compile(schema), schema)
}

/**
 * A validator from `check`, a compiled `schema` (at run time, or at build time for a contract file's
 * shape); `explain` compiles `schema` again with every error, the first time it is asked.
 */
export function withExplanations(check: (value: unknown) => boolean, schema: object): SchemaValidator {
  let explain: ((value: unknown) => ErrorObject[]) | undefined
  const validator = (value: unknown) => check(value)
  validator.explain = (value: unknown): ErrorObject[] => (explain ??= explainer(schema))(value)
  return validator
}

/** `schema` compiled with every error and the data each is about: the slow path, for values that failed. */
export function explainer(schema: object): (value: unknown) => ErrorObject[] {
  const id = '$id' in schema && typeof schema.$id === 'string' ? schema.$id : undefined
  if (id) explainingAjv().removeSchema(id)
  const explain = explainingAjv().compile(schema)
  return (value) => (explain(value) ? [] : [...(explain.errors ?? [])])
}
