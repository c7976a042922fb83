/** Text that stands in for a secret wherever macds writes or shows text. */
export const REDACTED = '[REDACTED]'

/** Common shapes of keys and tokens, masked even when macds was not told about them. */
const PATTERNS: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{30,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}/g, REDACTED],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, `$1${REDACTED}`],
  [
    // Also inside JSON text, where the quotes around the value are escaped (\").
    /\b((?:api[_-]?key|secret|token|password|passwd|authorization)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)([^\s"'\\,;]{8,})/gi,
    `$1${REDACTED}`,
  ],
]

/** Environment variables whose values are treated as secrets. */
const SECRET_NAME = /(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i

/** Masks secrets in text: the given values, then the common key and token patterns. */
export type Redactor = (text: string) => string

/**
 * A redactor for `values` (such as the configured API key) and for the values of environment
 * variables named like secrets. Values shorter than 8 characters are ignored: masking them would
 * shred ordinary text.
 */
export function createRedactor(
  values: readonly (string | undefined)[],
  env: NodeJS.ProcessEnv = {},
): Redactor {
  const fromEnv = Object.entries(env)
    .filter(([name]) => SECRET_NAME.test(name))
    .map(([, value]) => value)
  const secrets = [...new Set([...values, ...fromEnv])]
    .filter((v): v is string => typeof v === 'string' && v.length >= 8)
    .sort((a, b) => b.length - a.length)
  const escaped = secrets.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  // One pass that finds nothing lets most text through without running every pattern.
  const any = new RegExp([...escaped, ...PATTERNS.map(([p]) => p.source)].join('|'), 'i')
  return (text) => {
    if (!any.test(text)) return text
    let out = text
    for (const secret of secrets) out = out.split(secret).join(REDACTED)
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
    return out
  }
}
