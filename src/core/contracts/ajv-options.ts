import type { Options } from 'ajv'

/**
 * The Ajv options of every validator macds compiles, at run time (src/core/contracts/ajv.ts) and at
 * build time (src/build/validators.ts). Kept apart from ajv.ts, which loads the generated code.
 */
export const AJV_OPTIONS: Options = {
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
  // Schemas are checked beforehand: by checkSchema (contracts), or by being macds' own.
  validateSchema: false,
}
