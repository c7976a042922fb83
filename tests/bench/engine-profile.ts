/**
 * One engine benchmark on its own, for profiling a change to the run engine:
 *
 *   npx tsx tests/bench/engine-profile.ts chain 1000 [runs]
 *   npx tsx tests/bench/engine-profile.ts fan-out 50 [runs]
 *   node --cpu-prof --import tsx tests/bench/engine-profile.ts chain 1000 20
 *
 * Prints the median wall time (per stage transition for a chain, against the 30 ms critical path for
 * the fan-out of 10 ms agents) and the CPU time of the whole process (every thread) per transition.
 */
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { instantProvider, tinyProject } from '../helpers/tiny-project.js'
import { runToEnd } from './engine-bench.js'
import { chain, fanOut, medianMs } from './graphs.js'

const [kind = 'chain', sizeText = '1000', runsText = '5'] = process.argv.slice(2)
const size = Number(sizeText)
const runs = Number(runsText)
const fan = kind === 'fan-out'
const graph = fan ? fanOut(size) : chain(size)
const dir = join(tmpdir(), `macds-engine-profile-${process.pid}`)
const deps = await tinyProject(dir, graph, fan ? size + 14 : 4, instantProvider(fan ? 10 : 0))
try {
  await runToEnd(deps)
  const cpu = process.cpuUsage()
  const ms = await medianMs(() => runToEnd(deps), runs, 0)
  const used = process.cpuUsage(cpu)
  const cpuUs = (used.user + used.system) / runs / graph.length
  const result = fan
    ? `${ms.toFixed(1)} ms, ${(ms / 30).toFixed(2)}× the critical path`
    : `${((ms * 1000) / graph.length).toFixed(1)} µs per transition`
  process.stdout.write(
    `${kind} of ${size}: ${result} (process CPU, all threads: ${cpuUs.toFixed(1)} µs per transition)\n`,
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
