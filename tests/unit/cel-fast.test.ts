import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Environment } from '@marcbachmann/cel-js'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { compileCondition, interpretCondition } from '../../src/core/contracts/cel.js'
import { compileFast } from '../../src/core/contracts/cel-fast.js'
import { repoRoot } from '../helpers/cli.js'

type Outcome = { value: unknown } | { error: true }

function run(fn: (c: Record<string, unknown>) => unknown, context: Record<string, unknown>): Outcome {
  try {
    const value = fn(context)
    return { value: typeof value === 'bigint' ? Number(value) : value }
  } catch {
    return { error: true }
  }
}

/** The value with one change: each key removed, each leaf given another type, each list emptied. */
function* variants(value: unknown, depth = 0): Generator<unknown> {
  if (depth > 4) return
  if (Array.isArray(value)) {
    yield []
    for (const [i, item] of value.entries())
      for (const v of variants(item, depth + 1)) yield value.map((x, j) => (j === i ? v : x))
    return
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const { [key]: removed, ...rest } = value as Record<string, unknown>
      yield rest
      for (const v of variants(removed, depth + 1)) yield { ...rest, [key]: v }
    }
    return
  }
  yield typeof value === 'string'
    ? 7
    : typeof value === 'number'
      ? 'seven'
      : typeof value === 'boolean'
        ? 'yes'
        : true
}

const contractsDir = join(repoRoot, 'contracts')
const fixtureDir = join(repoRoot, 'tests/fixtures/contracts')

describe('the CEL fast path', () => {
  it('compiles every shipped rule (none falls back to the interpreter)', async () => {
    const env = new Environment().registerVariable('input', 'map').registerVariable('output', 'map')
    env.registerFunction({
      name: 'unique',
      receiverType: 'list',
      returnType: 'bool',
      params: [],
      handler: () => true,
    })
    env.registerFunction({
      name: 'flatten',
      receiverType: 'list',
      returnType: 'list',
      params: [],
      handler: (l: unknown[]) => l,
    })
    const slow: string[] = []
    for (const file of await readdir(contractsDir)) {
      const contract = parse(await readFile(join(contractsDir, file), 'utf8'))
      for (const rule of contract.validation_rules) {
        if (!compileFast(env.parse(rule.condition).ast as never)) slow.push(rule.id)
      }
    }
    expect(slow).toEqual([])
  })

  it('agrees with the interpreter on every shipped rule over the fixtures and thousands of variants of them', async () => {
    let compared = 0
    const disagreements: string[] = []
    for (const file of await readdir(contractsDir)) {
      const name = file.replace('.yaml', '')
      const contract = parse(await readFile(join(contractsDir, file), 'utf8'))
      const fixtures = (await readdir(fixtureDir)).filter((f) => f.startsWith(`${name}.`))
      for (const fixtureFile of fixtures) {
        const { input, output } = parse(await readFile(join(fixtureDir, fixtureFile), 'utf8'))
        const contexts = [{ input, output }, ...[...variants(output)].map((o) => ({ input, output: o }))]
        contexts.push(...[...variants(input)].slice(0, 200).map((i) => ({ input: i, output })))
        for (const rule of contract.validation_rules) {
          const part = rule.applies_to ?? 'output'
          const compiled = compileCondition(rule.condition, part)
          if (!compiled.ok) throw new Error(`${rule.id}: ${compiled.problem.message}`)
          const interpreted = interpretCondition(rule.condition, part)
          for (const context of contexts) {
            compared++
            const fast = run(compiled.condition.evaluate, context)
            const slow = run(interpreted, context)
            if (JSON.stringify(fast) !== JSON.stringify(slow)) {
              disagreements.push(
                `${rule.id} on ${fixtureFile}: fast ${JSON.stringify(fast)}, interpreter ${JSON.stringify(slow)}`,
              )
            }
          }
        }
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([])
    expect(compared).toBeGreaterThan(10_000)
  })

  it.each([
    ['size(output.a) > 1 && output.b == "x"', { a: [1, 2], b: 'x' }, true],
    ['output.missing == 1 || true', {}, true],
    ['true || output.missing == 1', {}, true],
    ['false && output.missing == 1', {}, false],
    ['output.missing == 1 && false', {}, false],
    ['output.l.all(x, x > 0) ', { l: [1, 'a', -1] }, false],
    ['output.l.exists(x, x > 2)', { l: ['a', 3] }, true],
    ['output.l.exists_one(x, x == 1)', { l: [1, 2, 1] }, false],
    ['output.l.map(x, x * 2.0) == [2.0, 4.0]', { l: [1, 2] }, true],
    ['size(output.l) * 2 == 4 && 7 / 2 == 3 && 7 % 2 == 1 && 7.0 / 2.0 == 3.5', { l: [1, 2] }, true],
    ['output.l.map(x, x > 1, x) == [2]', { l: [1, 2] }, true],
    ['output.l.filter(x, x.startsWith("a")).size() == 1', { l: ['ab', 'b'] }, true],
    ['cel.bind(n, output.l.map(x, x.id), n.unique())', { l: [{ id: 1 }, { id: 1 }] }, false],
    ['output.m.flatten() == [1, 2, 3]', { m: [[1], [2, 3]] }, true],
    ['"k" in output.o && !("z" in output.o)', { o: { k: 1 } }, true],
    ['has(output.o.k) && !has(output.o.z)', { o: { k: 1 } }, true],
    ['output.s.matches("^a+$") && output.s.contains("aa") && output.s.endsWith("a")', { s: 'aaa' }, true],
    ['size("héllo") == 5 && output.o == {"k": 1} && [1, 2] + [3] == [1, 2, 3]', { o: { k: 1 } }, true],
    [
      'output.l[1] == "b" && output.o["k"] == 1 && -output.n == 2 && output.n - 1.0 == -3.0',
      { l: ['a', 'b'], o: { k: 1 }, n: -2 },
      true,
    ],
    ['output.x ? output.a < output.b : false', { x: true, a: 'a', b: 'b' }, true],
  ])('%s', (expression, output, expected) => {
    const compiled = compileCondition(expression, 'output')
    if (!compiled.ok) throw new Error(compiled.problem.message)
    const context = { input: {}, output }
    expect(run(compiled.condition.evaluate, context)).toEqual({ value: expected })
    expect(run(interpretCondition(expression, 'output'), context)).toEqual({ value: expected })
  })

  it.each([
    ['output.n * 2 == 4', { n: 2 }],
    ['output.l[1.5] == 1', { l: [1, 2] }],
    ['output.l[-1] == 1', { l: [1] }],
    ['size(output.l) / 0 == 1', { l: [] }],
    ['output.s < 1', { s: 'a' }],
    ['output.missing.x == 1', {}],
    ['output.l.exists_one(x, x > "a")', { l: [1] }],
  ])('%s is an error in both', (expression, output) => {
    const compiled = compileCondition(expression, 'output')
    if (!compiled.ok) throw new Error(compiled.problem.message)
    const context = { input: {}, output }
    expect(run(compiled.condition.evaluate, context)).toEqual({ error: true })
    expect(run(interpretCondition(expression, 'output'), context)).toEqual({ error: true })
  })
})
