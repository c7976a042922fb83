import type { StageView } from '../store/types.js'

/** A cell of the layered graph: a stage, or a waypoint that carries a long edge through a layer. */
export interface LayerNode {
  key: string
  /** Absent for a waypoint. */
  stage: StageView | undefined
  layer: number
  /** Vertical slot in the layer; a slot is a stage box (two lines) and a blank line. */
  slot: number
  succ: string[]
  pred: string[]
}

/** A DAG split into layers (columns), each edge spanning exactly one layer, each node given a slot. */
export interface LayeredGraph {
  layers: string[][]
  nodes: Map<string, LayerNode>
  /** Slots in the tallest layer. */
  height: number
}

/** The layer of every stage: the longest path from a root. Unknown dependencies and cycles are ignored. */
export function layerOf(stages: readonly StageView[]): Map<string, number> {
  const byId = new Map(stages.map((s) => [s.id, s]))
  const layers = new Map<string, number>()
  const visiting = new Set<string>()
  const visit = (id: string): number => {
    const known = layers.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0
    visiting.add(id)
    const deps = (byId.get(id)?.depends_on ?? []).filter((d) => d !== id && byId.has(d))
    const layer = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(visit))
    visiting.delete(id)
    layers.set(id, layer)
    return layer
  }
  for (const stage of stages) visit(stage.id)
  return layers
}

/**
 * Lays stages into layers by longest path, threads waypoints through the layers a long edge skips,
 * orders each layer to keep edges short (barycenter sweeps) and gives every node a vertical slot.
 */
export function layerGraph(stages: readonly StageView[]): LayeredGraph {
  const layerIds = layerOf(stages)
  const nodes = new Map<string, LayerNode>()
  const add = (key: string, stage: StageView | undefined, layer: number) =>
    nodes.set(key, { key, stage, layer, slot: 0, succ: [], pred: [] })
  const link = (from: string, to: string) => {
    nodes.get(from)?.succ.push(to)
    nodes.get(to)?.pred.push(from)
  }
  for (const stage of stages) if (!nodes.has(stage.id)) add(stage.id, stage, layerIds.get(stage.id) ?? 0)
  for (const stage of stages) {
    const to = layerIds.get(stage.id) ?? 0
    for (const dep of new Set(stage.depends_on)) {
      const from = layerIds.get(dep)
      if (from === undefined || from >= to) continue
      let previous = dep
      for (let layer = from + 1; layer < to; layer++) {
        const key = `${dep}→${stage.id}@${layer}`
        add(key, undefined, layer)
        link(previous, key)
        previous = key
      }
      link(previous, stage.id)
    }
  }
  const layers: string[][] = []
  for (const node of nodes.values()) (layers[node.layer] ??= []).push(node.key)
  order(layers, nodes)
  const height = Math.max(1, ...layers.map((l) => l.length))
  assignSlots(layers, nodes, height)
  return { layers, nodes, height }
}

/** Reorders each layer by the mean position of its neighbours, down then up, a few times. */
function order(layers: string[][], nodes: Map<string, LayerNode>): void {
  const position = new Map<string, number>()
  const index = () => layers.forEach((l) => l.forEach((key, i) => position.set(key, i)))
  const sortBy = (layer: string[], side: 'pred' | 'succ') => {
    const weight = new Map(
      layer.map((key) => {
        const near = nodes.get(key)?.[side] ?? []
        const mean = near.reduce((sum, n) => sum + (position.get(n) ?? 0), 0) / near.length
        return [key, near.length > 0 ? mean : (position.get(key) ?? 0)]
      }),
    )
    layer.sort((a, b) => (weight.get(a) ?? 0) - (weight.get(b) ?? 0))
    index()
  }
  index()
  for (let sweep = 0; sweep < 3; sweep++) {
    for (let i = 1; i < layers.length; i++) sortBy(layers[i] ?? [], 'pred')
    for (let i = layers.length - 2; i >= 0; i--) sortBy(layers[i] ?? [], 'succ')
  }
}

/** Slots follow the order of a layer; a node sits level with the mean of its predecessors when it can. */
function assignSlots(layers: string[][], nodes: Map<string, LayerNode>, height: number): void {
  for (const layer of layers) {
    const slots = layer.map((key) => {
      const pred = nodes.get(key)?.pred ?? []
      const mean = pred.reduce((sum, p) => sum + (nodes.get(p)?.slot ?? 0), 0) / Math.max(1, pred.length)
      return Math.floor(mean)
    })
    for (let i = 0; i < slots.length; i++)
      slots[i] = Math.max(slots[i] ?? 0, i === 0 ? 0 : (slots[i - 1] ?? 0) + 1)
    for (let i = slots.length - 1; i >= 0; i--)
      slots[i] = Math.min(slots[i] ?? 0, i === slots.length - 1 ? height - 1 : (slots[i + 1] ?? 0) - 1)
    layer.forEach((key, i) => {
      const node = nodes.get(key)
      if (node) node.slot = slots[i] ?? i
    })
  }
}
