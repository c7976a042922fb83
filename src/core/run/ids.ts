import { randomBytes } from 'node:crypto'

/** A run id that sorts by start time: `r-20261121-201500-3fa9`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `r-${stamp}-${randomBytes(2).toString('hex')}`
}

/** A short id for a gate (`g-…`) or an escalation (`e-…`), unique enough to type into `macds approve`. */
export function decisionId(kind: 'g' | 'e'): string {
  return `${kind}-${randomBytes(3).toString('hex')}`
}
