import type { LayeredGraph } from './graph.js'

/** Rows of the panel per slot: two lines of stage box and one blank line. */
export const SLOT_ROWS = 3

/**
 * The edges between one layer and the next that share a vertical connector: sources with the same
 * targets, drawn as one fan-out and fan-in. `lane` is the connector's column in the gap, absent when
 * every end sits on one row and a straight arrow does.
 */
export interface Route {
  sources: string[]
  targets: string[]
  top: number
  bottom: number
  lane: number | undefined
}

/** How the gap after a layer is crossed: its routes, and how many connector columns they need. */
export interface Gap {
  routes: Route[]
  lanes: number
}

/** The row of a node's first line. */
export function rowOf(graph: LayeredGraph, key: string): number {
  return (graph.nodes.get(key)?.slot ?? 0) * SLOT_ROWS
}

/**
 * Routes the edges leaving layer `index`. Connectors whose rows overlap get separate columns, so
 * that two fans never merge into one and read as edges that do not exist.
 */
export function routeGap(graph: LayeredGraph, index: number): Gap {
  const byTargets = new Map<string, Route>()
  for (const key of graph.layers[index] ?? []) {
    const succ = graph.nodes.get(key)?.succ ?? []
    if (succ.length === 0) continue
    const id = [...succ].sort().join('\n')
    const route = byTargets.get(id)
    if (route) route.sources.push(key)
    else byTargets.set(id, { sources: [key], targets: succ, top: 0, bottom: 0, lane: undefined })
  }
  const routes = [...byTargets.values()]
  for (const route of routes) {
    const rows = [...route.sources, ...route.targets].map((key) => rowOf(graph, key))
    route.top = Math.min(...rows)
    route.bottom = Math.max(...rows)
  }
  const laneEnds: number[] = []
  const vertical = routes.filter((r) => r.top < r.bottom).sort((a, b) => a.top - b.top || a.bottom - b.bottom)
  for (const route of vertical) {
    const free = laneEnds.findIndex((end) => end < route.top)
    route.lane = free === -1 ? laneEnds.length : free
    laneEnds[route.lane] = route.bottom
  }
  return { routes, lanes: laneEnds.length }
}

/** Column widths that fit `room`: the widest are cut first, none below `min`; undefined when even that fails. */
export function fitWidths(wanted: readonly number[], room: number, min: number): number[] | undefined {
  const sum = (cap: number) => wanted.reduce((total, w) => total + Math.min(w, cap), 0)
  if (sum(min) > room) return undefined
  let cap = Math.max(min, ...wanted)
  while (cap > min && sum(cap) > room) cap--
  let left = room - sum(cap)
  return wanted.map((w) => {
    if (w <= cap || left <= 0) return Math.min(w, cap)
    left--
    return cap + 1
  })
}
