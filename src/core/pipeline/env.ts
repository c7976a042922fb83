/**
 * Variables every command gets from macds's environment: the search path, the user and home, the
 * locale, the terminal type, the temporary folder and the usual toolchain homes. Nothing else is
 * inherited (no API keys, no tokens, no `NODE_OPTIONS` or `GIT_*` that would change what runs).
 */
const ALLOWED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'JAVA_HOME',
  'GOPATH',
  'GOROOT',
  'GOCACHE',
  'GOMODCACHE',
  'CARGO_HOME',
  'RUSTUP_HOME',
]

/**
 * Set for every command: `CI=true` keeps test runners out of watch mode and package managers from
 * prompting; `NO_COLOR=1` keeps escape codes out of the output. Listing either name in
 * `pipeline.env` passes macds's own value instead, when it has one.
 */
const FIXED: Record<string, string> = { CI: 'true', NO_COLOR: '1' }

/** Names that usually hold a secret. */
const SECRET_NAME = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|AUTH)(?:_|$)|APIKEY/i

/** The environment of the pipeline's commands and what came with it. */
export interface CommandEnv {
  env: Record<string, string>
  /** Values of passed variables named like secrets: they are masked in tails and logs. */
  secrets: string[]
  warnings: string[]
}

/**
 * The scrubbed environment for the pipeline's commands: the allowlist, `LC_*`, the fixed values,
 * and the names listed in `pipeline.env`. A listed name wins even when it looks like a secret (an
 * install may need a registry token), but that is reported as a warning and its value is masked.
 */
export function commandEnv(listed: readonly string[], from: NodeJS.ProcessEnv = process.env): CommandEnv {
  const env: Record<string, string> = { ...FIXED }
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (ALLOWED.includes(name) || name.startsWith('LC_'))) env[name] = value
  }
  const secrets: string[] = []
  const warnings: string[] = []
  for (const name of listed) {
    const value = from[name]
    if (value === undefined) continue
    env[name] = value
    if (SECRET_NAME.test(name)) {
      secrets.push(value)
      warnings.push(
        `pipeline.env passes ${name}, which looks like a secret, to every pipeline command; its value is masked in their output`,
      )
    }
  }
  return { env, secrets, warnings }
}
