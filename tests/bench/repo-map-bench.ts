import { buildPrompt } from '../../src/core/agents/prompt.js'
import type { AgentDefinition } from '../../src/core/agents/types.js'
import type { CompiledContract } from '../../src/core/contracts/compile.js'
import { selectContext } from '../../src/core/context/select.js'
import { estimateTokens } from '../../src/core/repo/tokens.js'
import { execFileSync } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { buildRepoMap } from '../../src/core/repo/index.js'
import { loadTypeScript } from '../../src/core/repo/typescript.js'

const FILES = 5000
const CACHED_RUNS = 9

/**
 * Measures the repository map on a generated repository of 5,000 committed files in nested folders
 * (60% TypeScript and JavaScript modules of a few dozen lines with a few exports each, the rest
 * Markdown, JSON, YAML and CSS): a cold build (no cache; the TypeScript compiler already loaded, its
 * one-time import is measured apart) and a cached build on the unchanged repository (median of 9).
 * Replaces `dir`. Targets: cold < 1000 ms, cached < 50 ms.
 */
export async function benchRepoMap(
  dir: string,
): Promise<{ files: number; coldMs: number; cachedMs: number; typescriptImportMs: number }> {
  await rm(dir, { recursive: true, force: true })
  await generateRepository(dir)
  const importStart = performance.now()
  await loadTypeScript()
  const typescriptImportMs = performance.now() - importStart

  await rm(join(dir, '.macds'), { recursive: true, force: true })
  let parsed = 0
  const coldStart = performance.now()
  const cold = await buildRepoMap(dir, { onParse: () => parsed++ })
  const coldMs = performance.now() - coldStart
  if (cold.files.length !== FILES || parsed !== FILES * 0.6) throw new Error('the cold build is incomplete')

  const times: number[] = []
  for (let i = 0; i < CACHED_RUNS; i++) {
    const start = performance.now()
    const map = await buildRepoMap(dir, { onParse: () => parsed++ })
    times.push(performance.now() - start)
    if (map.files.length !== FILES) throw new Error('the cached build is incomplete')
  }
  if (parsed !== FILES * 0.6) throw new Error('the cached build parsed files again')
  const cachedMs = times.sort((a, b) => a - b)[Math.floor(CACHED_RUNS / 2)]!
  return { files: cold.files.length, coldMs, cachedMs, typescriptImportMs }
}

/** Writes and commits the files; the same repository every time (no randomness). */
async function generateRepository(dir: string): Promise<void> {
  const writes: Promise<void>[] = []
  for (let i = 0; i < FILES; i++) {
    const [path, text] = fileAt(i)
    const file = join(dir, path)
    writes.push(mkdir(dirname(file), { recursive: true }).then(() => writeFile(file, text)))
  }
  await Promise.all(writes)
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q')
  git('add', '.')
  git(
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@example.com',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-q',
    '-m',
    'bench',
  )
}

const SCRIPT_EXTENSIONS = ['.ts', '.ts', '.ts', '.tsx', '.js', '.mjs']
const OTHER_EXTENSIONS = ['.md', '.json', '.yaml', '.css']

/** File `i`: three in five are modules, in folders two to four levels deep. */
function fileAt(i: number): [string, string] {
  const folder = `packages/pkg-${i % 7}/src/area-${i % 13}${i % 3 === 0 ? `/part-${i % 5}` : ''}`
  if (i % 5 < 3) {
    const ext = SCRIPT_EXTENSIONS[i % SCRIPT_EXTENSIONS.length]!
    return [`${folder}/module-${i}${ext}`, moduleText(i, ext === '.ts' || ext === '.tsx')]
  }
  const ext = OTHER_EXTENSIONS[i % OTHER_EXTENSIONS.length]!
  return [`${folder}/notes-${i}${ext}`, otherText(i, ext)]
}

function moduleText(i: number, typed: boolean): string {
  const t = (annotation: string) => (typed ? annotation : '')
  const lines = [
    `import { helper${i % 11} } from '../shared/helpers.js'`,
    '',
    typed
      ? `export interface Options${i} {\n  name: string\n  retries: number\n  verbose?: boolean\n}\n`
      : '',
    `export const DEFAULT_LIMIT_${i} = ${i % 100}`,
    '',
    `/** Runs step ${i}. */`,
    `export function run${i}(input${t(': string')}, limit${t(': number')} = DEFAULT_LIMIT_${i})${t(': string[]')} {`,
    `  const out${t(': string[]')} = []`,
    `  for (let k = 0; k < limit; k++) {`,
    `    if (input.length > k) out.push(helper${i % 11}(input.slice(k)))`,
    `  }`,
    `  return out`,
    `}`,
    '',
    `export class Worker${i} {`,
    `  private count = 0`,
    `  constructor(${typed ? 'private readonly ' : ''}label${t(': string')}) {${typed ? '' : ' this.label = label'}}`,
    `  step()${t(': number')} {`,
    `    this.count += 1`,
    `    return this.count`,
    `  }`,
    `  toString() {`,
    `    return \`\${this.label}: \${this.count}\``,
    `  }`,
    `}`,
    '',
    `function internal${i}(value${t(': number')}) {`,
    `  return value * 2 + ${i}`,
    `}`,
    '',
    `export default internal${i}`,
    '',
  ]
  return lines.join('\n')
}

function otherText(i: number, ext: string): string {
  switch (ext) {
    case '.md':
      return `# Notes ${i}\n\nSome text about part ${i} of the system.\n\n- one\n- two\n- three\n`
    case '.json':
      return JSON.stringify({ name: `item-${i}`, values: [i, i + 1, i + 2], nested: { ok: true } }, null, 2)
    case '.yaml':
      return `name: item-${i}\nvalues: [${i}, ${i + 1}]\nnested:\n  ok: true\n`
    default:
      return `.item-${i} {\n  color: #${(i % 4096).toString(16).padStart(3, '0')};\n  margin: 0;\n}\n`
  }
}

/**
 * The prompt of an implementation call on the repository `benchRepoMap` left in `dir`, whose
 * architecture gives the component one folder: the repository context's tokens against the budget of
 * the shipped implementation agent, and the whole prompt's tokens.
 */
export async function benchImplementationPrompt(
  dir: string,
  contract: CompiledContract,
  agent: AgentDefinition,
): Promise<{ contextTokens: number; budget: number; promptTokens: number; items: number }> {
  const map = await buildRepoMap(dir)
  const input = {
    run_id: 'bench',
    requirement: 'Add retries to the workers of area 4',
    requirements: { requirements: [{ id: 'REQ-1', statement: 'Workers retry three times.' }] },
    architecture: {
      components: [{ name: 'Area4', files: ['packages/pkg-4/src/area-4/'] }],
      invariants: [],
    },
  }
  const budget = agent.budgets.context_tokens
  const context = await selectContext({
    root: dir,
    map,
    read: agent.permissions.read,
    contract: 'implementation',
    input,
    budget,
  })
  const messages = buildPrompt(agent, contract, 'implementation', input, { repository: context.items })
  const promptTokens = messages.reduce((sum, m) => sum + estimateTokens(m.content), 0)
  return { contextTokens: context.tokens, budget, promptTokens, items: context.items.length }
}
