import type { Writable } from 'node:stream'
import { validatesChanges } from '../core/init/detect.js'
import { type InitResult, initRepository } from '../core/init/init.js'
import { commandLine, summarizePaths } from '../core/init/summary.js'
import { type Command, say } from './command.js'

/** `macds init [--force]`: scaffolds macds in the repository and shows the detected pipeline for review. */
export const initCommand: Command = {
  name: 'init',
  args: '',
  summary:
    'scaffold macds.yaml (pipeline detected from the repository), contracts/, agents/, artifacts/, memory/',
  positionals: { min: 0, max: 0 },
  options: {
    force: { type: 'boolean', description: 'overwrite files that already exist' },
  },
  async run(context) {
    const result = await initRepository({ cwd: context.cwd, force: context.options.force === true })
    printWritten(context.stdout, result)
    printPipeline(context.stdout, context.stderr, result)
    printNext(context.stdout)
    return 0
  },
}

function printWritten(out: Writable, result: InitResult): void {
  say(out, `Initialised macds in ${result.root}`)
  for (const line of summarizePaths(result.created)) say(out, `  created   ${line}`)
  for (const line of summarizePaths(result.replaced)) say(out, `  replaced  ${line}`)
  const { added, created } = result.gitignore
  if (added.length > 0) say(out, `  ${created ? 'created ' : 'updated '}  .gitignore (${added.join(', ')})`)
  say(out)
}

function printPipeline(out: Writable, err: Writable, result: InitResult): void {
  const { detection } = result
  if (detection.source === undefined) {
    say(out, 'Pipeline: no build, lint or test commands detected.')
  } else {
    say(out, `Pipeline, detected from ${detection.source}:`)
    const width = Math.max(...detection.steps.map((s) => s.name.length))
    for (const step of detection.steps) {
      const files = step.when_changed ?? []
      const when =
        files.length > 0 ? `   (when ${files.join(' or ')} change${files.length === 1 ? 's' : ''})` : ''
      say(out, `  ${step.name.padEnd(width)}  ${commandLine(step.command)}${when}`)
    }
    for (const note of detection.notes) say(out, `  note: ${note}`)
    say(out, 'Review these commands in macds.yaml: every change a run makes must pass them.')
  }
  say(out)
  if (!validatesChanges(detection)) {
    const example = detection.steps.length === 0 ? ' (it holds a commented example)' : ''
    say(
      err,
      `warning: runs cannot validate changes until build, lint or test commands are configured under \`pipeline:\` in macds.yaml${example}.`,
    )
  }
}

/** What init writes that belongs in the repository's history. */
const COMMITTED = 'macds.yaml contracts agents artifacts memory .gitignore'

function printNext(out: Writable): void {
  say(out, 'Next:')
  const steps: [string, string][] = [
    ['commit the scaffold; runs start from a commit', `git add ${COMMITTED} && git commit -m "Add macds"`],
    ['check git, the configuration and the provider (the API key goes in OPENAI_API_KEY)', 'macds doctor'],
    ['let the agents make a change, e.g. macds run "Add a --verbose flag"', 'macds run "<requirement>"'],
    ['or watch a complete scripted run on a bundled sample project', 'macds demo'],
  ]
  for (const [why, command] of steps) {
    say(out, `  # ${why}`)
    say(out, `  ${command}`)
  }
}
