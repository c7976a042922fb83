import { spawnSync } from 'node:child_process'

/**
 * Most benchmarks and their baselines are measured in this many rounds, taken in turn, and each keeps
 * its best round (the lowest median, the highest rate): a shared machine's load only ever adds time,
 * and it comes and goes over seconds, longer than a round lasts (ADR-075).
 */
export const ROUNDS = 3

/**
 * The result of `measure` in the round where `score` is lowest, of ROUNDS rounds taken one after
 * another: a result measured with its baselines keeps them.
 */
export async function bestRound<T>(
  measure: (round: number) => Promise<T>,
  score: (result: T) => number,
): Promise<T> {
  let best: T | undefined
  for (let round = 0; round < ROUNDS; round++) {
    const result = await measure(round)
    if (best === undefined || score(result) < score(best)) best = result
  }
  return best as T
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns calls per second. */
export function throughput(fn: () => void, ms = 1500): number {
  const until = (deadline: number) => {
    let n = 0
    while (performance.now() < deadline) {
      for (let i = 0; i < 100; i++) fn()
      n += 100
    }
    return n
  }
  until(performance.now() + 300)
  const start = performance.now()
  const calls = until(start + ms)
  return calls / ((performance.now() - start) / 1000)
}

/** Median wall time in milliseconds of running a command `runs` times. */
export function medianRunMs(command: string, args: string[], runs: number, cwd?: string): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const result = spawnSync(command, args, { cwd, stdio: 'ignore' })
    times.push(performance.now() - start)
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? Number.NaN
}

/** One row of the results table. */
export interface BenchRow {
  benchmark: string
  result: string
  baseline: string
  target: string
  pass: boolean
}

export function table(rows: BenchRow[]): string {
  const lines = ['| benchmark | result | baseline (same run) | target | met |', '|---|---|---|---|---|']
  for (const r of rows)
    lines.push(`| ${r.benchmark} | ${r.result} | ${r.baseline} | ${r.target} | ${r.pass ? 'yes' : 'NO'} |`)
  return lines.join('\n')
}
