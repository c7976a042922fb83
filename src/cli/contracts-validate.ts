import { relative, resolve } from 'node:path'
import { listContractFiles } from '../core/contracts/files.js'
import { formatIssue } from '../core/contracts/format.js'
import type { CompileResult } from '../core/contracts/index.js'
import { type Command, type CommandContext, say } from './command.js'
import { table } from './table.js'

interface FileReport {
  name: string
  file: string
  text: string | undefined
  result: CompileResult
}

/** Compiles every contract file of a directory (default `contracts/` of the working directory). */
async function compileAll(context: CommandContext, dir = context.positionals[0]): Promise<FileReport[]> {
  const root = resolve(context.cwd, dir ?? 'contracts')
  const files = await listContractFiles(root)
  const { readContractFile } = await import('../core/contracts/load.js')
  return Promise.all(
    files.map(async (file) => {
      const { text, result } = await readContractFile(file)
      const name = result.ok ? result.contract.name : (file.split('/').pop() ?? file).replace(/\.ya?ml$/, '')
      return { name, file, text, result }
    }),
  )
}

export const contractsValidate: Command = {
  name: 'contracts validate',
  args: '[DIR]',
  summary: 'check every contract file (default: ./contracts); exit 0 when all are valid, 2 otherwise',
  positionals: { min: 0, max: 1 },
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run(context) {
    const reports = await compileAll(context)
    const invalid = reports.filter((r) => !r.result.ok)
    if (context.options.json) {
      const contracts = reports.map((r) =>
        r.result.ok
          ? {
              name: r.name,
              file: r.file,
              status: 'valid',
              version: r.result.contract.version,
              rules: r.result.contract.rules.length,
              issues: [],
            }
          : { name: r.name, file: r.file, status: 'invalid', issues: r.result.issues },
      )
      say(context.stdout, JSON.stringify({ ok: invalid.length === 0, contracts }, null, 2))
      return invalid.length === 0 ? 0 : 2
    }
    for (const report of invalid) {
      if (report.result.ok) continue
      for (const issue of report.result.issues) {
        say(context.stdout, formatIssue(issue, report.text, relative(context.cwd, issue.file) || issue.file))
        say(context.stdout)
      }
    }
    const issueCount = invalid.reduce((n, r) => n + (r.result.ok ? 0 : r.result.issues.length), 0)
    const summary =
      invalid.length === 0
        ? `${reports.length} contracts valid`
        : `${invalid.length} of ${reports.length} contracts invalid (${issueCount} issue${issueCount === 1 ? '' : 's'})`
    say(context.stdout, summary)
    return invalid.length === 0 ? 0 : 2
  },
}

export const contractsList: Command = {
  name: 'contracts list',
  args: '',
  summary: 'list the contracts with version, rule count and status',
  positionals: { min: 0, max: 0 },
  options: { json: { type: 'boolean', description: 'print the list as JSON' } },
  async run(context) {
    const reports = await compileAll(context, undefined)
    const rows = reports.map((r) =>
      r.result.ok
        ? {
            name: r.name,
            version: r.result.contract.version,
            rules: String(r.result.contract.rules.length),
            status: 'valid',
          }
        : { name: r.name, version: '-', rules: '-', status: `invalid: ${firstIssue(r)}` },
    )
    if (context.options.json) {
      say(context.stdout, JSON.stringify(rows, null, 2))
      return 0
    }
    const header = ['NAME', 'VERSION', 'RULES', 'STATUS']
    const lines = table([header, ...rows.map((r) => [r.name, r.version, r.rules, r.status])], [2])
    for (const line of lines) say(context.stdout, line)
    return 0
  },
}

function firstIssue(report: FileReport): string {
  if (report.result.ok) return ''
  const [issue] = report.result.issues
  const more = report.result.issues.length > 1 ? ` (+${report.result.issues.length - 1} more)` : ''
  return issue ? `${issue.line}:${issue.col} ${issue.message}${more}` : ''
}
