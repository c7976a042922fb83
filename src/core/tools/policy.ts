import picomatch from 'picomatch'
import type { ReadPolicy } from './types.js'

/**
 * Files an agent may not read by default: secrets and macds's own state. Besides the usual key and
 * credential files, two choices differ from the obvious globs: `.env.example`, `.env.sample` and
 * `.env.template` stay readable (they are committed templates that tell an agent which variables
 * exist), and `secrets.*` is limited to data formats so that source files such as `secrets.ts`
 * stay readable. `.git` is refused by the path guard whatever the policy says; it is listed here too
 * so that the policy reads as complete.
 */
export const DEFAULT_READ_DENY: readonly string[] = Object.freeze([
  '**/.env',
  '**/.env.!(example|sample|template)',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/id_ecdsa*',
  '**/.ssh/**',
  '**/.npmrc',
  '**/.netrc',
  '**/.pypirc',
  '**/.git-credentials',
  '**/secrets.{json,yaml,yml,toml,ini,env,txt}',
  '.macds/**',
  '.git/**',
])

/** Everything in the work tree may be read unless a deny glob says otherwise. */
export const DEFAULT_READ_ALLOW: readonly string[] = Object.freeze(['**'])

/** The policy agents get unless their definition narrows it. */
export const DEFAULT_READ_POLICY: ReadPolicy = Object.freeze({
  allow: DEFAULT_READ_ALLOW,
  deny: DEFAULT_READ_DENY,
})

/** Whether a path may be read under one policy. */
export type ReadCheck = (path: string) => boolean

/**
 * A check for `policy`: a work-tree-relative path (forward slashes, no `./`) is readable when it
 * matches some allow glob and no deny glob. Deny globs ignore case, because on case-insensitive file
 * systems `.ENV` is `.env`. Compile it once per call and use it for every path of that call.
 */
export function readCheck(policy: ReadPolicy): ReadCheck {
  const allowed = matcher(policy.allow, false)
  const denied = matcher(policy.deny, true)
  return (path) => allowed(path) && !denied(path)
}

function matcher(globs: readonly string[], nocase: boolean): (path: string) => boolean {
  if (globs.length === 0) return () => false
  return picomatch([...globs], { dot: true, nocase })
}

/**
 * A glob the model gave, as a matcher. A plain name without glob characters (`src`) also matches what
 * lies under it.
 */
export function globMatcher(glob: string): (path: string) => boolean {
  const scan = picomatch.scan(glob)
  const patterns = scan.isGlob ? [glob] : [glob.replace(/\/+$/, ''), `${glob.replace(/\/+$/, '')}/**`]
  return picomatch(patterns, { dot: true })
}

/**
 * The literal directory a glob starts with (`src` for `src/lib/*.ts`), or undefined when it has none.
 * Git is asked only about that directory; the glob itself is matched here, so that listing, search and
 * the policy agree on what a glob means.
 */
export function globBase(glob: string): string | undefined {
  const scan = picomatch.scan(glob)
  const base = (scan.isGlob ? scan.base : glob).replace(/\/+$/, '')
  return base === '' || base.includes('\\') ? undefined : base
}
