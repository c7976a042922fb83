import { readFile, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import * as prettier from 'prettier'
import { parse } from 'yaml'
import { ContractRegistry, validateValue } from '../../src/core/contracts/index.js'
import { type BenchRow, medianRunMs, table, throughput } from './measure.js'

const root = resolve(import.meta.dirname, '../..')
const rows: BenchRow[] = []
const format = (n: number) => Math.round(n).toLocaleString('en-US')

// Validations per second of a realistic architecture output against its whole contract.
{
  const registry = await ContractRegistry.load(join(root, 'contracts'))
  const contract = registry.require('architecture')
  const { input, output } = parse(
    await readFile(join(root, 'tests/fixtures/contracts/architecture.valid.yaml'), 'utf8'),
  )
  const check = validateValue(contract, 'output', output, { input })
  if (!check.ok || check.violations.length > 0) throw new Error('the benchmark fixture is not valid')
  const full = throughput(() => validateValue(contract, 'output', output, { input }))
  const schemaOnly = throughput(() => contract.schemas.output(output))
  rows.push({
    benchmark: `architecture output validated (schema + ${contract.rules.length} rules)`,
    result: `${format(full)} /s`,
    baseline: `schema alone: ${format(schemaOnly)} /s`,
    target: '>= 100,000 /s',
    pass: full >= 100_000,
  })
}

// `macds contracts validate` on the shipped contracts as a whole process, against `node -e 0`.
{
  const runs = 15
  const cli = join(root, 'dist/cli.js')
  const bare = medianRunMs(process.execPath, ['-e', '0'], runs)
  const validate = medianRunMs(process.execPath, [cli, 'contracts', 'validate'], runs, root)
  rows.push({
    benchmark: '`macds contracts validate`, whole process (median of 15)',
    result: `${validate.toFixed(0)} ms`,
    baseline: `\`node -e 0\`: ${bare.toFixed(0)} ms`,
    target: '< 300 ms',
    pass: validate < 300,
  })
}

const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`
const output = `${table(rows)}\n\nMeasured on ${machine}.\n`
await writeFile(join(root, 'tests/bench/results.md'), output)

// The README shows the same table between its bench markers.
const readmePath = join(root, 'README.md')
const readme = await readFile(readmePath, 'utf8')
const replaced = readme.replace(/(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/, `$1${output}$2`)
const options = (await prettier.resolveConfig(readmePath)) ?? {}
const updated = await prettier.format(replaced, { ...options, filepath: readmePath })
if (updated !== readme) await writeFile(readmePath, updated)

process.stdout.write(output)
process.exitCode = rows.every((r) => r.pass) ? 0 : 1
