import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type ContractEvent, ContractRegistry } from '../../src/core/contracts/index.js'
import { SMALL_CONTRACT } from '../helpers/contract-text.js'
import { tempDir, waitFor } from '../helpers/temp.js'

let open: ContractRegistry | undefined

afterEach(async () => {
  await open?.close()
  open = undefined
})

async function watched(files: Record<string, string>) {
  const dir = await tempDir()
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  const registry = await ContractRegistry.load(dir)
  open = registry
  const events: ContractEvent[] = []
  registry.subscribe((e) => events.push(e))
  await registry.watch()
  const next = (type: ContractEvent['type'], after: number) =>
    waitFor(() => events.slice(after).find((e) => e.type === type), 5000, type)
  return { dir, registry, events, next }
}

describe('ContractRegistry', () => {
  it('loads a directory, recording invalid files without throwing', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'sample.yaml'), SMALL_CONTRACT)
    await writeFile(join(dir, 'broken.yaml'), 'name: broken\nversion: [')
    await writeFile(join(dir, 'notes.txt'), 'not a contract')
    const registry = await ContractRegistry.load(dir)
    expect(registry.entries().map((e) => [e.name, e.status])).toEqual([
      ['broken', 'invalid'],
      ['sample', 'valid'],
    ])
    expect(registry.require('sample').version).toBe('1.0.0')
    expect(() => registry.require('broken')).toThrow(/contract 'broken' is invalid \(.*broken.yaml:2:/)
    expect(() => registry.require('missing')).toThrow(/no contract named 'missing'/)
  })

  it('reloads a valid edit, keeps the last valid version through an invalid one, and reloads the fix', async () => {
    const { dir, registry, events, next } = await watched({ 'sample.yaml': SMALL_CONTRACT })
    const file = join(dir, 'sample.yaml')

    await writeFile(file, SMALL_CONTRACT.replace('version: "1.0.0"', 'version: "1.1.0"'))
    expect(await next('contract.reloaded', 0)).toMatchObject({
      name: 'sample',
      version: '1.1.0',
      previous_version: '1.0.0',
    })

    const mark = events.length
    await writeFile(
      file,
      SMALL_CONTRACT.replace('version: "1.0.0"', 'version: "1.2.0"').replace(
        'severity: warning',
        'severity: loud',
      ),
    )
    const invalid = await next('contract.invalid', mark)
    expect(invalid).toMatchObject({ name: 'sample', in_force: '1.1.0' })
    if (invalid.type !== 'contract.invalid') throw new Error('unreachable')
    expect(invalid.issues[0]?.message).toContain('loud')
    expect(registry.get('sample')?.version).toBe('1.1.0')
    expect(registry.entries()[0]).toMatchObject({ status: 'invalid' })

    const fixMark = events.length
    await writeFile(file, SMALL_CONTRACT.replace('version: "1.0.0"', 'version: "1.2.0"'))
    expect(await next('contract.reloaded', fixMark)).toMatchObject({
      version: '1.2.0',
      previous_version: '1.1.0',
    })
    expect(registry.entries()[0]).toMatchObject({ status: 'valid', issues: [] })
  })

  it('notices added and removed contract files', async () => {
    const { dir, registry, next } = await watched({})
    await writeFile(join(dir, 'sample.yaml'), SMALL_CONTRACT)
    expect(await next('contract.loaded', 0)).toMatchObject({ name: 'sample', version: '1.0.0' })
    await rm(join(dir, 'sample.yaml'))
    expect(await next('contract.removed', 0)).toMatchObject({ name: 'sample' })
    expect(registry.get('sample')).toBeUndefined()
  })

  it('says what to do when the directory is missing', async () => {
    await expect(ContractRegistry.load('/nonexistent/contracts')).rejects.toMatchObject({
      code: 'CONTRACTS_DIR_MISSING',
      kind: 'user',
      hint: expect.stringContaining('macds init'),
    })
  })
})
