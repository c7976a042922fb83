import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFilesTogether } from '../../src/core/init/write-files.js'
import { tempDir } from '../helpers/temp.js'

describe('writeFilesTogether', () => {
  it('writes every file, making directories and replacing existing files', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'a.txt'), 'old')
    await writeFilesTogether(dir, [
      { path: 'a.txt', content: 'new' },
      { path: 'deep/er/b.txt', content: new TextEncoder().encode('bytes') },
    ])
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('new')
    expect(await readFile(join(dir, 'deep/er/b.txt'), 'utf8')).toBe('bytes')
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'deep'])
  })

  it('writes nothing and leaves no temporary files or new directories when one file cannot be written', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'a.txt'), 'old')
    await writeFile(join(dir, 'blocker'), 'a file where a directory is needed')
    const attempt = writeFilesTogether(dir, [
      { path: 'a.txt', content: 'new' },
      { path: 'made/c.txt', content: 'c' },
      { path: 'blocker/d.txt', content: 'd' },
    ])
    await expect(attempt).rejects.toThrow()
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'blocker'])
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('old')
  })
})
