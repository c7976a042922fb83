import { parse } from 'yaml'
import { DEFAULT_GUARD } from '../config/workspace.js'
import type { DetectedStep, Detection } from './detect.js'

/**
 * The text of a new macds.yaml: the provider settings a new user edits first, the detected pipeline
 * (or a commented example when nothing was detected), the guard and the integration strategy, with
 * comments that say what each part does.
 */
export function renderConfig(detection: Detection): string {
  return `# macds.yaml: how macds works in this repository. \`macds doctor\` checks it.
version: 1

# Where the agents' models run: openai (any OpenAI-compatible server) or scripted (replays a script).
provider: openai
openai:
  base_url: https://api.openai.com/v1 # a local server works too, e.g. http://127.0.0.1:8080/v1
  api_key_env: OPENAI_API_KEY # the variable holding the key; null for a server that needs none
# The aliases agents/<id>.yaml name, mapped to the server's model names.
models:
  strong: gpt-4.1
  fast: gpt-4.1-mini
# Per-agent overrides, e.g. agent_models: { implementation: strong }

${pipelineSection(detection)}
# Changes an agent may not make without a person's approval.
guard:
  protected: [${DEFAULT_GUARD.protected.map((glob) => JSON.stringify(glob)).join(', ')}]
  max_deleted_lines: ${DEFAULT_GUARD.max_deleted_lines} # a change deleting more lines waits for approval
  max_file_bytes: ${DEFAULT_GUARD.max_file_bytes} # no file a change writes may be larger

# How a finished run reaches the target branch: commits (one commit per change) or squash (one per run).
integration:
  strategy: commits
`
}

const PIPELINE_HELP = `# The validation pipeline. Each run's changes are checked in its own worktree by these commands, in the
# order install, format, lint, build, test; the target branch moves only when all of them pass.
# \`command\` is a program and its arguments, run without a shell (or a string with \`shell: true\`);
# \`when_changed\` runs a step only when a change touches those files; \`timeout_seconds\` bounds it.`

function pipelineSection(detection: Detection): string {
  if (detection.steps.length === 0) {
    return `${PIPELINE_HELP}
# No build, lint or test commands were detected, so runs cannot validate changes until you add them.
# For example:
# pipeline:
#   install: { command: [npm, ci], when_changed: [package.json, package-lock.json], timeout_seconds: 600 }
#   lint: { command: [npm, run, lint], timeout_seconds: 300 }
#   test: { command: [npm, test], timeout_seconds: 600 }
`
  }
  const notes = detection.notes.map((note) => `# Note: ${note}\n`).join('')
  const steps = detection.steps.map((s) => `  ${s.name}: ${stepLine(s)}\n`).join('')
  return `${PIPELINE_HELP}
# Detected from ${detection.source ?? 'the repository'}; review these commands.
${notes}pipeline:
${steps}  # env: [NODE_OPTIONS] # variables passed to the commands besides PATH, HOME and the locale
`
}

function stepLine(s: DetectedStep): string {
  const parts = [`command: ${flow(s.command)}`]
  if (s.when_changed) parts.push(`when_changed: ${flow(s.when_changed)}`)
  parts.push(`timeout_seconds: ${s.timeout_seconds}`)
  return `{ ${parts.join(', ')} }`
}

/** A YAML flow sequence of strings, quoting each item that would not read back as the same string. */
export function flow(items: readonly string[]): string {
  return `[${items.map(scalar).join(', ')}]`
}

/** Characters a plain scalar in a flow sequence may hold; globs and brackets are quoted for clarity. */
const PLAIN = /^[A-Za-z0-9_./-][A-Za-z0-9_./@+=-]*$/

/** The item unquoted when YAML reads it back as the same string (not as a number, boolean or null). */
function scalar(text: string): string {
  if (PLAIN.test(text) && readsBack(text)) return text
  return JSON.stringify(text)
}

function readsBack(text: string): boolean {
  try {
    const back: unknown = parse(`[${text}]`)
    return Array.isArray(back) && back.length === 1 && back[0] === text
  } catch {
    return false
  }
}
