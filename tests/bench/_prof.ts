import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRun as original } from '../../src/core/run/driver.js'
import { benchProject, instantProvider } from './engine-bench.js'
import { startRun as scratch } from './_scratch/driver.js'
import { chain, fanOut, median } from './graphs.js'
const startRun = process.env.ENGINE === 'scratch' ? scratch : original
const kind = process.argv[2] ?? 'chain'
const n = Number(process.argv[3] ?? 1000)
const reps = Number(process.argv[4] ?? 5)
const dir = join(tmpdir(), `macds-prof-${process.pid}`)
const graph = kind === 'fan' ? fanOut(n) : chain(n)
const deps = await benchProject(dir, graph, kind === 'fan' ? 64 : 4, instantProvider(kind === 'fan' ? 10 : 0))
let i = 0
const once = async () => {
  const s = performance.now()
  const { state } = await startRun('x', { provider: 'scripted', script: undefined, approve: 'auto' }, deps, `p${i++}`)
  if (state.status !== 'passed') throw new Error(state.message)
  return performance.now() - s
}
await once()
const times: number[] = []
for (let k = 0; k < reps; k++) times.push(await once())
const m = median(times)
console.log(process.env.FIX ?? '-', kind, n, kind === 'fan' ? `${m.toFixed(1)} ms (${(m / 30).toFixed(2)}x)` : `${((m * 1000) / n).toFixed(1)} µs/transition`)
await rm(dir, { recursive: true, force: true })
