import type { GraphNode } from '../helpers/tiny-project.js'

export type { GraphNode }

/** A chain of `n` nodes: s0 → s1 → … → s(n-1). */
export function chain(n: number): GraphNode[] {
  return Array.from({ length: n }, (_, i) => ({ id: `s${i}`, depends_on: i === 0 ? [] : [`s${i - 1}`] }))
}

/** One node fanning out to `width` parallel nodes that all join into one. */
export function fanOut(width: number): GraphNode[] {
  const branches = Array.from({ length: width }, (_, i) => ({ id: `b${i}`, depends_on: ['root'] }))
  return [{ id: 'root', depends_on: [] }, ...branches, { id: 'join', depends_on: branches.map((b) => b.id) }]
}

/** The ids in an order where every node comes after the nodes it depends on (Kahn's algorithm). */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const waiting = new Map(nodes.map((n) => [n.id, n.depends_on.length]))
  const dependents = new Map<string, string[]>()
  for (const node of nodes) {
    for (const d of node.depends_on) {
      const list = dependents.get(d)
      if (list) list.push(node.id)
      else dependents.set(d, [node.id])
    }
  }
  const order = nodes.filter((n) => n.depends_on.length === 0).map((n) => n.id)
  for (let i = 0; i < order.length; i++) {
    for (const next of dependents.get(order[i] as string) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1
      waiting.set(next, left)
      if (left === 0) order.push(next)
    }
  }
  if (order.length !== nodes.length) throw new Error('the graph has a cycle')
  return order
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Times `fn` `runs` times after `warmUps` untimed calls; the median in milliseconds. */
export async function medianMs(fn: () => Promise<unknown>, runs: number, warmUps = 1): Promise<number> {
  for (let i = 0; i < warmUps; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return median(times)
}
