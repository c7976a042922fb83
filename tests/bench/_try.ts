import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchEngineRun, benchResume } from './engine-bench.js'
import { chain, fanOut } from './graphs.js'
import { benchBare, benchLangGraph } from './langgraph-bench.js'
const dir = join(tmpdir(), `macds-bench-${process.pid}`)
for (const n of [7, 100, 1000]) {
  const runs = n === 1000 ? 3 : n === 100 ? 10 : 30
  const e = await benchEngineRun(join(dir, `e${n}`), chain(n), { runs })
  const l = await benchLangGraph(chain(n), { runs })
  const b = await benchBare(chain(n), runs)
  console.log(
    n,
    'engine',
    ((e.ms * 1000) / n).toFixed(1),
    'lg',
    ((l.ms * 1000) / n).toFixed(1),
    'bare',
    ((b.ms * 1000) / n).toFixed(3),
  )
}
const f = await benchEngineRun(join(dir, 'f'), fanOut(50), { runs: 7, concurrency: 64, delayMs: 10 })
const lf = await benchLangGraph(fanOut(50), { runs: 7, delayMs: 10 })
console.log('fanout engine', f.ms, 'lg', lf.ms)
console.log(await benchResume(join(dir, 'r'), chain(1000), 5))
