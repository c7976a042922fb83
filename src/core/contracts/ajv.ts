import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }

let shared: Ajv2020 | undefined

/**
 * The Ajv every contract compiles on. One instance, because compiling the 2020-12 meta-schema
 * costs more than compiling all the shipped contracts together.
 */
export function sharedAjv(): Ajv2020 {
  shared ??= createAjv()
  return shared
}

/**
 * A fresh Ajv for JSON Schema 2020-12. Strict about the schema itself (unknown keywords are
 * typos), all errors at once (a repair prompt should list every problem), errors carry the schema
 * and data they are about (`verbose`) so that fixes can be suggested. Never logs.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // String lengths by UTF-16 units: counting code points walks every long string (artifact text)
    // on each validation and cut throughput by an order of magnitude.
    unicode: false,
    verbose: true,
    allowUnionTypes: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
    // Contracts compile at every start and every reload; these halve compile time for a small
    // cost in validation speed (see the benchmark table).
    code: { optimize: false },
    inlineRefs: false,
  })
  addFormats.default(ajv)
  return ajv
}
