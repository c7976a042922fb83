import picomatch from 'picomatch'
import { readCheck } from '../tools/policy.js'
import type { EntryProblem } from './types.js'

/**
 * Which files an agent may write (`permissions.files` of its definition): a path must match some
 * `allow` glob and no `deny` glob. Globs match dot files; deny globs ignore case, as they do for reads,
 * because on case-insensitive file systems `.ENV` is `.env`.
 */
export interface WritePolicy {
  allow: readonly string[]
  deny: readonly string[]
}

/**
 * A check for `policy`, compiled once: why the agent may not write a path, naming the glob so that
 * the model understands the rule rather than trying variants of the path, or undefined when it may.
 */
export function aclCheck(policy: WritePolicy): (path: string) => EntryProblem | undefined {
  const permitted = readCheck(policy)
  return (path) => {
    if (permitted(path)) return undefined
    const deny = policy.deny.find((glob) => picomatch.isMatch(path, glob, { dot: true, nocase: true }))
    const why = deny
      ? `it matches the deny glob "${deny}" of this agent's permissions`
      : `it matches none of this agent's allowed globs (${policy.allow.map((g) => `"${g}"`).join(', ') || 'none'})`
    return {
      rule: 'CS-ACL',
      field: '/path',
      message: `Writing "${path}" is not permitted: ${why}.`,
      fix: deny
        ? `Leave "${path}" out of the ChangeSet; if it must change, say so in the rationale so that the agent that owns it can do it.`
        : `Put the file under an allowed path, or leave it out and say in the rationale why it would need to change.`,
    }
  }
}

/**
 * A matcher for `guard.protected`: the first glob a path matches, or undefined. Letter case is
 * ignored, as for deny globs.
 */
export function protectedGlob(globs: readonly string[]): (path: string) => string | undefined {
  const compiled = globs.map((glob) => ({ glob, match: picomatch(glob, { dot: true, nocase: true }) }))
  return (path) => compiled.find(({ match }) => match(path))?.glob
}
