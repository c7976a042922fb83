import { readFileTool } from '../tools/read-file.js'
import type { ReadPolicy } from '../tools/types.js'
import { renderRepoMap } from '../repo/render.js'
import { estimateTokens } from '../repo/tokens.js'
import type { RepoMap } from '../repo/types.js'

/** One piece of repository text put in a prompt: what it is, its label, and its estimated tokens. */
export interface ContextItem {
  kind: 'map' | 'file' | 'artifact' | 'neighbours'
  name: string
  text: string
  tokens: number
}

/** What a stage's prompt is shown of the repository, within the agent's budget. */
export interface StageContext {
  items: ContextItem[]
  tokens: number
  budget: number
  /** Files and artifacts that did not fit the budget. */
  left_out: string[]
}

/** What context selection works from: the repository, its map, and the stage's input. */
export interface ContextSource {
  root: string
  map: RepoMap
  read: ReadPolicy
  /** The stage's contract, which says whose role the agent plays. */
  contract: string
  input: Record<string, unknown>
  budget: number
}

/** The contracts whose agents are shown repository context; selectContext says what each gets. */
export const CONTRACTS_WITH_CONTEXT: ReadonlySet<string> = new Set([
  'requirements',
  'architecture',
  'implementation',
  'infra',
  'review',
  'build_test',
])

/** The artifacts each role reads, most useful first. */
const ROLE_ARTIFACTS: Record<string, string[]> = {
  architecture: ['ARCHITECTURE.md', 'REQUIREMENTS.md', 'DESIGN_DECISIONS.log', 'API_CONTRACTS.yaml'],
  requirements: ['REQUIREMENTS.md', 'RISK_REGISTER.md'],
  implementation: ['ARCHITECTURE.md', 'API_CONTRACTS.yaml'],
  review: ['CODING_STANDARDS.md'],
}

/**
 * The repository context a role needs, most important first, cut to the budget: the architect gets
 * the map and the artifacts; implementation the files of the architecture's components, the
 * architecture and API contracts, then the components' neighbours and the map; the reviewer the files
 * the ChangeSet touches and the coding standards; build_test the files the failing output names;
 * product the requirements and risks, then the map; infra the map. Other contracts get none.
 */
export async function selectContext(source: ContextSource): Promise<StageContext> {
  const fill = new Filler(source.budget)
  const { map, input } = source
  const file = (path: string) => fill.file(path, source)
  const artifacts = async () => {
    for (const name of ROLE_ARTIFACTS[source.contract] ?? [])
      await fill.file(`artifacts/${name}`, source, 'artifact')
  }
  switch (source.contract) {
    case 'architecture':
      fill.map(map, Math.floor(source.budget / 2))
      await artifacts()
      break
    case 'implementation': {
      const owned = componentFiles(map, input)
      for (const path of owned) await file(path)
      await artifacts()
      fill.neighbours(map, owned)
      fill.map(map)
      break
    }
    case 'review':
      for (const path of changedFiles(input)) await file(path)
      await artifacts()
      fill.map(map)
      break
    case 'build_test':
      for (const path of namedFiles(map, JSON.stringify(input.results ?? []))) await file(path)
      break
    case 'requirements':
      await artifacts()
      fill.map(map)
      break
    case 'infra':
      fill.map(map)
      break
  }
  return fill.result()
}

/** Adds items in order while they fit; a file too long for what is left is cut to fit. */
class Filler {
  private readonly items: ContextItem[] = []
  private readonly leftOut: string[] = []
  private used = 0

  constructor(private readonly budget: number) {}

  private get left(): number {
    return this.budget - this.used
  }

  private add(item: Omit<ContextItem, 'tokens'>): void {
    const tokens = estimateTokens(item.text)
    this.items.push({ ...item, tokens })
    this.used += tokens
  }

  map(map: RepoMap, limit = this.left): void {
    if (this.items.some((i) => i.kind === 'map')) return
    const rendered = renderRepoMap(map, { maxTokens: Math.min(limit, this.left) })
    if (rendered.text !== '') this.add({ kind: 'map', name: 'repository map', text: rendered.text })
  }

  neighbours(map: RepoMap, owned: string[]): void {
    const dirs = new Set(owned.map(dirOf))
    const taken = new Set(owned)
    const files = map.files.filter((f) => dirs.has(dirOf(f.path)) && !taken.has(f.path))
    if (files.length === 0) return
    const rendered = renderRepoMap({ root: map.root, files }, { maxTokens: this.left })
    if (rendered.text !== '')
      this.add({ kind: 'neighbours', name: 'files next to them', text: rendered.text })
  }

  async file(path: string, source: ContextSource, kind: 'file' | 'artifact' = 'file'): Promise<void> {
    if (this.items.some((i) => i.name === path)) return
    if (this.left < 50) return void this.leftOut.push(path)
    const read = await readFileTool({ path }, { root: source.root, read: source.read })
    if (!read.ok) return // missing, binary or not readable by this agent: nothing to show
    let text = read.content
    if (estimateTokens(text) > this.left) {
      text = `${text.slice(0, (this.left - 20) * 4)}\n… (cut to fit the context budget; read_file shows the rest)`
      this.leftOut.push(`${path} (in part)`)
    }
    this.add({ kind, name: path, text })
  }

  result(): StageContext {
    return { items: this.items, tokens: this.used, budget: this.budget, left_out: this.leftOut }
  }
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/** The tracked files the architecture's components own (a `files` entry ending in / is a directory). */
function componentFiles(map: RepoMap, input: Record<string, unknown>): string[] {
  const architecture = input.architecture as { components?: { files?: unknown }[] } | undefined
  const owned = (architecture?.components ?? []).flatMap((c) =>
    Array.isArray(c.files) ? c.files.filter((f): f is string => typeof f === 'string') : [],
  )
  const found = new Set<string>()
  for (const entry of owned) {
    for (const f of map.files) {
      if (entry.endsWith('/') ? f.path.startsWith(entry) : f.path === entry) found.add(f.path)
    }
  }
  return [...found]
}

/** The paths a ChangeSet under review touches. */
function changedFiles(input: Record<string, unknown>): string[] {
  const changeset = input.changeset as { files?: { path?: unknown }[] } | undefined
  return (changeset?.files ?? []).flatMap((f) => (typeof f.path === 'string' ? [f.path] : []))
}

/** Tracked files whose paths appear in `text` (a failing test's output, say), in order of appearance. */
function namedFiles(map: RepoMap, text: string): string[] {
  const found: { path: string; at: number }[] = []
  for (const f of map.files) {
    const at = text.indexOf(f.path)
    if (at >= 0) found.push({ path: f.path, at })
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.path)
}
