import { describe, expect, it } from 'vitest'
import { MacdsError, toMacdsError, userError } from '../../src/core/errors.js'

describe('MacdsError', () => {
  it('carries a stable code, a kind, a hint and a cause', () => {
    const cause = new Error('ENOENT')
    const error = userError('CONTRACTS_DIR_MISSING', 'no contracts directory', 'Run `macds init`.', cause)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      code: 'CONTRACTS_DIR_MISSING',
      kind: 'user',
      hint: 'Run `macds init`.',
      cause,
    })
  })

  it('keeps MacdsErrors and classifies anything else as a bug', () => {
    const own = new MacdsError('X', 'x', { kind: 'external' })
    expect(toMacdsError(own)).toBe(own)
    const wrapped = toMacdsError(new TypeError('undefined is not a function'))
    expect(wrapped).toMatchObject({ code: 'INTERNAL', kind: 'bug', message: 'undefined is not a function' })
    expect(wrapped.cause).toBeInstanceOf(TypeError)
    expect(toMacdsError('plain string').message).toBe('plain string')
  })
})
