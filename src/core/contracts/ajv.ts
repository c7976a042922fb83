import type { ErrorObject, Options } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import metaValidator from '../../generated/json-schema-validator.js'

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

const common: Options = {
  allowUnionTypes: true,
  // Strict about the schema itself: an unknown keyword is a typo. strictTypes would log or fail on
  // schemas people commonly write, so it is off. Never logs.
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  logger: false,
  // String lengths by UTF-16 units: counting code points walks every long string (artifact text)
  // on each validation and cut throughput by an order of magnitude.
  unicode: false,
  // Contracts compile at every start and every reload; these halve compile time for a small cost
  // in validation speed (see the benchmark table).
  code: { optimize: false },
  inlineRefs: false,
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
  lean ??= withFormats(new Ajv2020({ ...common, validateSchema: false }))
  return lean
}

function explainingAjv(): Ajv2020 {
  full ??= withFormats(new Ajv2020({ ...common, allErrors: true, verbose: true, validateSchema: false }))
  return full
}

function withFormats(ajv: Ajv2020): Ajv2020 {
  addFormats.default(ajv)
  return ajv
}

/** Compiles a schema that `checkSchema` accepted; throws Ajv's error on strict-mode problems. */
/**
 * A validator compiled at its first use, for the schemas modules hold at their top level: a command
 * that never checks that kind of file (the supervisor's first frame, say) does not pay for compiling it.
 */
export function lazyValidator(schema: Record<string, unknown>): SchemaValidator {
  let compiled: SchemaValidator | undefined
  const get = () => (compiled ??= compileValidator(schema))
  const validator = (value: unknown) => get()(value)
  validator.explain = (value: unknown) => get().explain(value)
  return validator
}

export function compileValidator(schema: Record<string, unknown>): SchemaValidator {
  // A reloaded contract may reuse its schema's $id; the newest version replaces the old one.
  const id = typeof schema.$id === 'string' ? schema.$id : undefined
  if (id) schemaAjv().removeSchema(id)
  const check = schemaAjv().compile(schema)
  let explainer: (((value: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined
  const validator = (value: unknown) => check(value)
  validator.explain = (value: unknown): ErrorObject[] => {
    if (!explainer) {
      if (id) explainingAjv().removeSchema(id)
      explainer = explainingAjv().compile(schema)
    }
    return explainer(value) ? [] : [...(explainer.errors ?? [])]
  }
  return validator
}
