import type { MacdsError } from '../../src/core/errors.js'

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<MacdsError> {
  try {
    await promise
  } catch (error) {
    return error as MacdsError
  }
  throw new Error('expected the promise to reject, but it resolved')
}
