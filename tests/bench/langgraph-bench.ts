import { EventEmitter } from 'node:events'
import { Annotation, END, START, StateGraph } from '@langchain/langgraph'
import { type GraphNode, medianMs, topologicalOrder } from './graphs.js'

const State = Annotation.Root({
  /** How many nodes have run; parallel nodes add to it in the same step. */
  done: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
  ok: Annotation<boolean>({ reducer: (_, b) => b, default: () => false }),
})

type Update = { done: number; ok: boolean }

/** The StateGraph builder with node names known only at run time. */
interface DynamicGraph {
  addNode(id: string, node: () => Promise<Update>): DynamicGraph
  addEdge(from: string | string[], to: string): DynamicGraph
  compile(): { invoke(input: Partial<Update>, config: { recursionLimit: number }): Promise<Update> }
}

/** The same trivial work as an engine stage: an (optionally delayed) tiny answer. */
function work(delayMs: number): () => Promise<Update> {
  return async () => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
    return { done: 1, ok: true }
  }
}

/** `graph` as a compiled LangGraph StateGraph: a node per graph node, joins wait for every parent. */
export function langGraphOf(graph: readonly GraphNode[], delayMs = 0) {
  const builder = new StateGraph(State) as unknown as DynamicGraph
  const hasDependents = new Set(graph.flatMap((n) => n.depends_on))
  for (const node of graph) builder.addNode(node.id, work(delayMs))
  for (const node of graph) {
    if (node.depends_on.length === 0) builder.addEdge(START, node.id)
    else if (node.depends_on.length === 1) builder.addEdge(node.depends_on[0] as string, node.id)
    else builder.addEdge(node.depends_on, node.id)
    if (!hasDependents.has(node.id)) builder.addEdge(node.id, END)
  }
  return builder.compile()
}

/** Median wall time of invoking the LangGraph version of `graph` (compiled once), in milliseconds. */
export async function benchLangGraph(
  graph: readonly GraphNode[],
  options: { runs: number; warmUps?: number; delayMs?: number },
): Promise<{ ms: number }> {
  const compiled = langGraphOf(graph, options.delayMs)
  const config = { recursionLimit: graph.length + 10 }
  // LangGraph adds an abort listener per parallel task to its run's signal; Node would warn of a leak.
  const maxListeners = EventEmitter.defaultMaxListeners
  EventEmitter.defaultMaxListeners = Math.max(maxListeners, graph.length + 10)
  try {
    const ms = await medianMs(
      async () => {
        const out = await compiled.invoke({}, config)
        if (out.done !== graph.length) throw new Error(`LangGraph ran ${out.done} of ${graph.length} nodes`)
      },
      options.runs,
      options.warmUps,
    )
    return { ms }
  } finally {
    EventEmitter.defaultMaxListeners = maxListeners
  }
}

/** The floor: the nodes in topological order, each awaiting a trivial async function. */
export async function runBare(graph: readonly GraphNode[]): Promise<Record<string, Update>> {
  const outputs: Record<string, Update> = {}
  const node = work(0)
  for (const id of topologicalOrder(graph)) outputs[id] = await node()
  return outputs
}

/** The parallel floor: every node starts once the promises of the nodes it depends on have resolved. */
export async function runBareParallel(graph: readonly GraphNode[], delayMs: number): Promise<number> {
  const node = work(delayMs)
  const done = new Map<string, Promise<Update>>()
  for (const id of topologicalOrder(graph)) {
    const deps = graph.find((n) => n.id === id)?.depends_on ?? []
    done.set(id, Promise.all(deps.map((d) => done.get(d))).then(node))
  }
  return (await Promise.all(done.values())).length
}

/** Median wall time of the bare topological executor on `graph`, in milliseconds. */
export async function benchBare(
  graph: readonly GraphNode[],
  options: { runs: number; warmUps?: number },
): Promise<{ ms: number }> {
  return { ms: await medianMs(() => runBare(graph), options.runs, options.warmUps ?? 3) }
}

/** Median wall time of the bare parallel executor on `graph`, each node waiting `delayMs`, in milliseconds. */
export async function benchBareParallel(
  graph: readonly GraphNode[],
  options: { runs: number; warmUps?: number; delayMs: number },
): Promise<{ ms: number }> {
  return { ms: await medianMs(() => runBareParallel(graph, options.delayMs), options.runs, options.warmUps) }
}
