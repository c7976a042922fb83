import type { Writable } from 'node:stream'
import { userError } from '../core/errors.js'
import type { WeighedEntry } from '../core/memory/types.js'
import { type Command, type CommandContext, say } from './command.js'
import { table } from './table.js'

export const memoryList: Command = {
  name: 'memory list',
  args: '',
  summary: 'the memory notes with their strength now, strongest first',
  positionals: { min: 0, max: 0 },
  options: {
    scope: {
      type: 'string',
      value: 'SCOPE',
      description: 'only this scope: working, project, skill, failure',
    },
    agent: { type: 'string', value: 'ID', description: "only the notes for this agent (or 'all')" },
    json: { type: 'boolean', description: 'print the notes as JSON' },
  },
  async run(context) {
    const { memory, store } = await open(context)
    const scope = text(context, 'scope')
    const agent = text(context, 'agent')
    const items = store.list({ scope: scope === undefined ? undefined : memory.parseScope(scope), agent })
    const threshold = store.policy.prune.threshold
    if (context.options.json) {
      const entries = items.map((i) => ({
        ...i.entry,
        strength: round(i.strength),
        age_hours: round(i.age_hours),
      }))
      say(context.stdout, JSON.stringify({ threshold, entries, skipped_lines: store.skipped }, null, 2))
      return 0
    }
    if (items.length === 0) {
      say(context.stdout, 'no memory notes yet; add one with `macds memory add "<content>" --scope project`')
      return 0
    }
    const rows = items.map((i) => [
      i.entry.id,
      i.strength.toFixed(2),
      i.entry.scope,
      i.entry.agent,
      memory.formatAge(i.age_hours),
      i.entry.content.replace(/\s+/g, ' ').trim(),
    ])
    const lines = table([['ID', 'STRENGTH', 'SCOPE', 'AGENT', 'AGE', 'CONTENT'], ...rows], [1])
    for (const line of lines) say(context.stdout, cut(line, width(context.stdout)))
    summarize(context.stdout, items, threshold, store.skipped)
    return 0
  },
}

export const memoryAdd: Command = {
  name: 'memory add',
  args: '<CONTENT>',
  summary: 'remember a note for the agents; prints its id',
  positionals: { min: 1, max: 1 },
  options: {
    scope: { type: 'string', value: 'SCOPE', description: 'working, project, skill or failure (required)' },
    agent: { type: 'string', value: 'ID', description: "the agent the note is for (default: 'all')" },
    tags: { type: 'string', value: 'A,B', description: 'comma-separated tags that make it easier to recall' },
    confidence: { type: 'string', value: 'N', description: 'how sure the note is, 0 to 1 (default 1)' },
  },
  async run(context) {
    const scope = text(context, 'scope')
    if (scope === undefined)
      throw userError(
        'USAGE',
        '`macds memory add` needs --scope',
        'Add --scope working, project, skill or failure.',
      )
    const { memory, store } = await open(context)
    const confidence = text(context, 'confidence')
    const entry = await store.add({
      scope: memory.parseScope(scope),
      agent: text(context, 'agent') ?? memory.ALL_AGENTS,
      content: context.positionals[0] ?? '',
      tags: (text(context, 'tags') ?? '').split(','),
      confidence: confidence === undefined ? 1 : memory.parseConfidence(confidence),
    })
    say(context.stdout, entry.id)
    if (entry.created !== entry.reinforced)
      say(context.stderr, `${entry.id} already held this note; it was reinforced instead of added again`)
    return 0
  },
}

export const memoryPrune: Command = {
  name: 'memory prune',
  args: '',
  summary: 'drop the memory notes whose strength fell below the threshold of memory/policy.yaml',
  positionals: { min: 0, max: 0 },
  options: { 'dry-run': { type: 'boolean', description: 'only count what would be dropped' } },
  async run(context) {
    const { store } = await open(context)
    const dryRun = context.options['dry-run'] === true
    const result = await store.prune(new Date(), { dryRun })
    const threshold = store.policy.prune.threshold
    const [removed, kept] = dryRun ? ['would remove', 'would keep'] : ['removed', 'kept']
    say(
      context.stdout,
      `${removed} ${notes(result.removed)} below strength ${threshold}, ${kept} ${result.kept}`,
    )
    if (result.skipped > 0)
      say(
        context.stdout,
        `${dryRun ? 'would drop' : 'dropped'} ${result.skipped} unreadable line${result.skipped === 1 ? '' : 's'}`,
      )
    return 0
  },
}

/** The memory module (loaded when a memory command runs) and the repository's store. */
async function open(context: CommandContext) {
  const memory = await import('../core/memory/index.js')
  const policy = await memory.loadMemoryPolicy(context.cwd)
  return { memory, store: await memory.openMemory(context.cwd, policy) }
}

function text(context: CommandContext, name: string): string | undefined {
  const value = context.options[name]
  return typeof value === 'string' ? value : undefined
}

function summarize(out: Writable, items: WeighedEntry[], threshold: number, skipped: number): void {
  const weak = items.filter((i) => i.strength < threshold).length
  const faded = weak > 0 ? ` (${weak} below ${threshold}: \`macds memory prune\` drops them)` : ''
  say(out)
  say(out, `${notes(items.length)}${faded}`)
  if (skipped > 0) say(out, `${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped`)
}

function notes(count: number): string {
  return `${count} note${count === 1 ? '' : 's'}`
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

/** The terminal's width, or 120 columns when the output is not a terminal. */
function width(stream: Writable): number {
  const columns = (stream as Partial<NodeJS.WriteStream>).columns
  return typeof columns === 'number' && columns > 40 ? columns : 120
}

function cut(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}
