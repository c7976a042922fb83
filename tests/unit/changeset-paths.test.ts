import { describe, expect, it } from 'vitest'
import { conflictProblems } from '../../src/core/changeset/conflicts.js'
import { shapeProblems } from '../../src/core/changeset/shape.js'
import { pathProblem, reservedName } from '../../src/core/changeset/path-rules.js'
import type { ChangeSetFile } from '../../src/core/changeset/types.js'

describe('pathProblem', () => {
  it.each([
    ['src/login.ts'],
    ['README.md'],
    ['.github-notes.md'],
    ['src/.gitignore'],
    ['src/.gitkeep'],
    ['docs/git~2.md'],
    ['src/~temp.ts'],
  ])('accepts %j', (path) => {
    expect(pathProblem(path)).toBeUndefined()
  })

  it.each([
    ['', 'CS-PATH', /empty/],
    ['../x', 'CS-PATH', /"\.\."/],
    ['a/../../x', 'CS-PATH', /"\.\."/],
    ['src/..', 'CS-PATH', /"\.\."/],
    ['/etc/passwd', 'CS-PATH', /absolute/],
    ['C:\\Windows\\x.ts', 'CS-PATH', /absolute/],
    ['c:/x.ts', 'CS-PATH', /absolute/],
    ['\\\\server\\share\\x', 'CS-PATH', /absolute/],
    ['..\\x', 'CS-PATH', /"\.\."/],
    ['src\\login.ts', 'CS-PATH', /backslash/],
    ['~/x.ts', 'CS-PATH', /home directory/],
    ['.', 'CS-PATH', /empty or "\."/],
    ['./src/a.ts', 'CS-PATH', /empty or "\."/],
    ['src//a.ts', 'CS-PATH', /empty or "\."/],
    ['src/', 'CS-PATH', /empty or "\."/],
    ['src/a\0.ts', 'CS-PATH', /NUL/],
    ['src/a\n.ts', 'CS-PATH', /U\+000A/],
    [`src/${'a'.repeat(256)}.ts`, 'CS-PATH', /bytes long/],
    ['.git/config', 'CS-RESERVED', /\.git/],
    ['.GIT/hooks/pre-commit', 'CS-RESERVED', /\.git/],
    ['sub/.git/config', 'CS-RESERVED', /\.git/],
    ['.git./config', 'CS-RESERVED', /\.git/],
    ['GIT~1/config', 'CS-RESERVED', /\.git/],
    ['.g\u200cit/config', 'CS-RESERVED', /\.git/],
    ['.macds/runs/x.json', 'CS-RESERVED', /\.macds/],
    ['.Macds/locks', 'CS-RESERVED', /\.macds/],
  ])('refuses %j', (path, rule, message) => {
    const problem = pathProblem(path)
    expect(problem).toMatchObject({ rule, field: '/path' })
    expect(problem?.message).toMatch(message)
    expect(problem?.fix.length).toBeGreaterThan(10)
  })

  it('suggests the canonical form of a path with redundant segments', () => {
    expect(pathProblem('./src//a.ts')?.fix).toBe('Write it as "src/a.ts".')
    expect(pathProblem('src\\a.ts')?.fix).toBe('Write it as "src/a.ts".')
  })

  it('knows the names file systems fold into .git and .macds', () => {
    expect(['.git', '.Git', '.git ', '.git..', 'git~1'].map(reservedName)).toEqual(Array(5).fill('.git'))
    expect(['.gitignore', 'git', '.github', 'src'].map(reservedName)).toEqual(Array(4).fill(undefined))
    expect(reservedName('.MACDS')).toBe('.macds')
  })
})

const create = (path: string, content = 'x\n'): ChangeSetFile => ({ path, action: 'create', content })

describe('shapeProblems', () => {
  it.each<[string, ChangeSetFile, string | undefined]>([
    ['create with content', create('a.ts'), undefined],
    ['create without content', { path: 'a.ts', action: 'create' }, ''],
    [
      'create with edits',
      { path: 'a.ts', action: 'create', edits: [{ search: 'a', replace: 'b' }] },
      '/edits',
    ],
    ['modify with content', { path: 'a.ts', action: 'modify', content: '' }, undefined],
    [
      'modify with edits',
      { path: 'a.ts', action: 'modify', edits: [{ search: 'a', replace: 'b' }] },
      undefined,
    ],
    ['modify with neither', { path: 'a.ts', action: 'modify' }, ''],
    [
      'modify with both',
      { path: 'a.ts', action: 'modify', content: 'x', edits: [{ search: 'a', replace: '' }] },
      '',
    ],
    ['modify with no edits', { path: 'a.ts', action: 'modify', edits: [] }, '/edits'],
    ['delete', { path: 'a.ts', action: 'delete' }, undefined],
    ['delete with content', { path: 'a.ts', action: 'delete', content: 'x' }, ''],
    ['unknown action', { path: 'a.ts', action: 'rename' as 'create', content: 'x' }, '/action'],
  ])('%s', (_, file, field) => {
    const problems = shapeProblems(file)
    if (field === undefined) expect(problems).toEqual([])
    else expect(problems).toMatchObject([{ rule: 'CS-BODY', field }])
  })

  it('reports only the path when the path is bad', () => {
    expect(shapeProblems({ path: '../a', action: 'modify' })).toMatchObject([{ rule: 'CS-PATH' }])
  })
})

describe('conflictProblems', () => {
  it('finds the same path twice, also in another letter case or Unicode form', () => {
    const found = conflictProblems([
      create('src/a.ts'),
      create('src/b.ts'),
      create('src/a.ts'),
      create('SRC/B.ts'),
      create('src/caf\u00e9.ts'),
      create('src/cafe\u0301.ts'),
    ])
    expect(found.map((f) => [f.index, f.problem.rule])).toEqual([
      [2, 'CS-DUPLICATE'],
      [3, 'CS-DUPLICATE'],
      [5, 'CS-DUPLICATE'],
    ])
    expect(found[0]!.problem.message).toContain('files/0')
    expect(found[1]!.problem.message).toContain('letter case')
  })

  it('finds a path under another entry, which would be a file and a directory at once', () => {
    const found = conflictProblems([create('src/util'), create('src/util/a.ts'), create('src/utility.ts')])
    expect(found).toMatchObject([{ index: 1, problem: { rule: 'CS-NESTED' } }])
  })

  it('leaves bad paths to the path check', () => {
    expect(conflictProblems([create('../a'), create('../a')])).toEqual([])
  })
})
