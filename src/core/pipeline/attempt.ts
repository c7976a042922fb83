import { createWriteStream } from 'node:fs'
import { appendFile, writeFile } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { PipelineStep } from '../config/workspace-types.js'
import { LineSplitter } from './lines.js'
import { type CollectedOutput, OutputCollector } from './output.js'
import { runCommand } from './process.js'

/** What one run of a step's command needs. */
export interface AttemptSpec {
  step: PipelineStep
  cwd: string
  env: Record<string, string>
  /** The step's log; the first attempt starts it, a second one is appended. */
  logPath: string
  append: boolean
  budget: number
  redact: (text: string) => string
  graceMs: number
  signal?: AbortSignal
}

/** How one run of a step's command went. */
export interface Attempt {
  /** Exit code; -1 when killed; 127 when the program was not found, 126 when it could not be run. */
  exitCode: number
  timedOut: boolean
  aborted: boolean
  /** The command never ran (program missing or not executable): running it again cannot help. */
  notStarted: boolean
  durationMs: number
  output: CollectedOutput
  /** macds's own lines about the run (timeout, kill, missing program), shown before the output. */
  notes: string[]
}

/** The argument vector a step runs: its command, or `sh -c <line>` for a shell step. */
export function commandLine(step: PipelineStep): string[] {
  return step.shell ? ['sh', '-c', step.command.join(' ')] : [...step.command]
}

/**
 * Runs a step's command once in its own process group. The full output (redacted) goes to the log,
 * between a line naming the command and a line saying how it ended; failure lines and the last lines
 * are kept for the output tail.
 */
export async function runAttempt(spec: AttemptSpec): Promise<Attempt> {
  const [file = '', ...args] = commandLine(spec.step)
  const collector = new OutputCollector(spec.budget)
  const header = spec.redact(`$ ${commandLine(spec.step).map(quote).join(' ')}`) + '\n'
  await writeFile(spec.logPath, spec.append ? `\n${header}` : header, { flag: spec.append ? 'a' : 'w' })

  const outcome = await runCommand(
    {
      file,
      args,
      cwd: spec.cwd,
      env: spec.env,
      timeoutMs: spec.step.timeout_ms,
      graceMs: spec.graceMs,
      signal: spec.signal,
    },
    async (output) => {
      const splitter = new LineSplitter(spec.redact, (line) => collector.add(line))
      const log = createWriteStream(spec.logPath, { flags: 'a' })
      // A stream closed early (a process that left the group held it open) ends the log there.
      await pipeline(output, splitter, log).catch(() => undefined)
    },
  )

  const { name } = spec.step
  const notes: string[] = []
  let exitCode = outcome.exitCode ?? -1
  if (outcome.startError !== undefined) {
    const missing = outcome.startError === 'ENOENT'
    exitCode = missing ? 127 : 126
    const why = missing ? 'not found' : `cannot be run (${outcome.startError})`
    notes.push(`macds: program \`${file}\` ${why}: check pipeline.${name}.command in macds.yaml`)
  } else if (outcome.timedOut) {
    exitCode = -1
    notes.push(
      `macds: timed out after ${seconds(spec.step.timeout_ms)}: the command and every process it started were killed`,
    )
  } else if (outcome.aborted) {
    exitCode = -1
    notes.push('macds: cancelled: the command and every process it started were killed')
  } else if (outcome.signal !== undefined) {
    exitCode = -1
    notes.push(`macds: the command was killed by ${outcome.signal}`)
  }
  const ending = notes.length > 0 ? notes.join('\n') : `macds: exit code ${exitCode}`
  await appendFile(spec.logPath, `\n${ending} after ${outcome.durationMs} ms\n`)
  return {
    exitCode,
    timedOut: outcome.timedOut,
    aborted: outcome.aborted,
    notStarted: outcome.startError !== undefined,
    durationMs: outcome.durationMs,
    output: collector.collected(),
    notes,
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** An argument as a shell would need it, for the log's first line. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}
