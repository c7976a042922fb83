import { existsSync } from 'node:fs'
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp.js'

describe('macds contracts types', () => {
  it('writes types, then --check passes until a contract changes', async () => {
    const dir = await tempDir()
    await cp(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true })
    const stale = await runCli(['contracts', 'types', '--check', '--cwd', dir])
    expect(stale.code).toBe(1)
    expect(stale.stdout).toContain('types are stale')

    const written = await runCli(['contracts', 'types', '--cwd', dir])
    expect(written.code).toBe(0)
    const review = await readFile(join(dir, 'src/generated/contracts/review.ts'), 'utf8')
    expect(review).toContain('export interface ReviewOutput')

    expect((await runCli(['contracts', 'types', '--check', '--cwd', dir])).code).toBe(0)

    const file = join(dir, 'contracts/review.yaml')
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^version: .*$/m, 'version: "9.9.9"'))
    const after = await runCli(['contracts', 'types', '--check', '--cwd', dir])
    expect(after.code).toBe(1)
    expect(after.stdout).toContain('review.ts')
  })

  it('never removes a file it did not generate, but removes its own files that are no longer wanted', async () => {
    const dir = await tempDir()
    await cp(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true })
    const out = join(dir, 'src')
    await mkdir(out, { recursive: true })
    await writeFile(join(out, 'app.ts'), 'export const app = 1\n')
    expect((await runCli(['contracts', 'types', '--out', 'src', '--cwd', dir])).code).toBe(0)
    await rm(join(dir, 'contracts/escalation.yaml'))
    const again = await runCli(['contracts', 'types', '--out', 'src', '--cwd', dir])
    expect(again.code).toBe(0)
    expect(await readFile(join(out, 'app.ts'), 'utf8')).toBe('export const app = 1\n')
    expect(existsSync(join(out, 'escalation.ts'))).toBe(false)
    expect(existsSync(join(out, 'review.ts'))).toBe(true)
  })

  it('refuses to overwrite a file of the same name that it did not generate', async () => {
    const dir = await tempDir()
    await cp(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true })
    await mkdir(join(dir, 'src'), { recursive: true })
    await writeFile(join(dir, 'src/index.ts'), 'export const main = 1\n')
    const result = await runCli(['contracts', 'types', '--out', 'src', '--cwd', dir])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('index.ts exists and was not generated')
    expect(await readFile(join(dir, 'src/index.ts'), 'utf8')).toBe('export const main = 1\n')
    expect(existsSync(join(dir, 'src/review.ts'))).toBe(false)
  })

  it('refuses to generate from an invalid contract', async () => {
    const dir = await tempDir()
    await cp(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true })
    await writeFile(join(dir, 'contracts/review.yaml'), 'name: review\n')
    const result = await runCli(['contracts', 'types', '--cwd', dir])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('review.yaml is invalid, so no types were generated')
  })
})
