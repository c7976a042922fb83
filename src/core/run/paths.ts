import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Where a run keeps its files under `<root>/.macds/runs/<run-id>/`. */
export function runPaths(root: string, runId: string) {
  const dir = join(root, '.macds', 'runs', runId)
  return {
    dir,
    events: join(dir, 'events.jsonl'),
    answers: join(dir, 'answers'),
    lock: join(dir, 'lock'),
    prompts: join(root, '.macds', 'prompts', `${runId}.jsonl`),
  }
}

/** The ids of the runs recorded under `root`, oldest first. */
export async function listRunIds(root: string): Promise<string[]> {
  const dir = join(root, '.macds', 'runs')
  if (!existsSync(dir)) return []
  const names = await readdir(dir)
  return names.filter((n) => existsSync(join(dir, n, 'events.jsonl'))).sort()
}
