import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'

describe('macds command line', () => {
  it('prints its version', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
    const result = await runCli(['--version'])
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
  })

  it('prints help listing every command', async () => {
    const result = await runCli(['--help'])
    expect(result.code).toBe(0)
    for (const name of [
      'contracts list',
      'contracts validate',
      'contracts edit',
      'contracts check',
      'contracts types',
    ]) {
      expect(result.stdout).toContain(`macds ${name}`)
    }
  })

  it('prints the help of a command group', async () => {
    const result = await runCli(['contracts', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('macds contracts validate [DIR]')
    const bare = await runCli(['contracts'])
    expect(bare.code).toBe(2)
    expect(bare.stderr).toContain('`macds contracts` needs a subcommand')
    expect(bare.stderr).toContain('list, validate, edit, check, types')
  })

  it('prints the help of one command', async () => {
    const result = await runCli(['contracts', 'check', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: macds contracts check <name> <file>')
    expect(result.stdout).toContain('--with-input FILE')
  })

  it.each([
    [['frobnicate'], 'unknown command `frobnicate`'],
    [['contracts', 'frob'], 'unknown command `macds contracts frob`'],
    [['contracts', 'validate', '--frob'], "Unknown option '--frob'"],
    [['contracts', 'check', 'review'], '`macds contracts check` takes 2 arguments'],
  ])('rejects %j with a clear message, no stack, exit 2', async (args, message) => {
    const result = await runCli(args)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('explains a missing contracts directory and exits 2', async () => {
    const result = await runCli(['contracts', 'list', '--cwd', '/tmp'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no contracts directory at /tmp/contracts')
    expect(result.stderr).toContain('macds init')
  })
})
