/**
 * Lines that name a failing test or an error, in the formats of common tools. They go first in a
 * step's output tail, since the end of a long output is often only a summary.
 */
const FAILURE_PATTERNS: RegExp[] = [
  /^\s*not ok\b/, // TAP (node:test, tap, prove)
  /^\s*FAIL\b/, // vitest, jest, go test
  /^\s*[✗×✕✖]\s/, // vitest, jest, node:test spec reporter
  /^\s*●\s/, // jest failure headings
  /^(?:FAILED|ERROR)\s/, // pytest summary
  /^E\s{2,}\S/, // pytest assertion details
  /^\s*--- FAIL:/, // go test
  /^panic:/, // go
  /^test .* \.\.\. FAILED$/, // cargo test
  /panicked at/, // rust
  /\berror TS\d+:/, // tsc
  /^\s*\d+:\d+\s+error\s/, // eslint
  /^npm ERR!/, // npm
  /\berror(?:\[\w+\])?:/i, // compilers and generic `error:` / `Error:` / `error[E0308]:`
  /\b[A-Z]\w*Error:/, // TypeError:, AssertionError: ...
]

/** Whether `line` reports a failing test or an error. */
export function isFailureLine(line: string): boolean {
  return FAILURE_PATTERNS.some((pattern) => pattern.test(line))
}
