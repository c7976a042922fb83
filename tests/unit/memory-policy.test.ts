import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MacdsError } from '../../src/core/errors.js'
import { DEFAULT_MEMORY_POLICY, loadMemoryPolicy, retrievalBudget } from '../../src/core/memory/index.js'
import { repoRoot } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp.js'

const VALID = `version: 1
scopes:
  working: { half_life: 90m }
  project: { half_life: 7d, shared: true }
  skill: { half_life: 30d, shared: true }
  failure: { half_life: 24h, shared: false }
prune:
  threshold: 0.2
retrieval:
  per_agent: { entries: 5, tokens: 800 }
  agents:
    implementation: { entries: 12 }
`

async function withPolicy(text: string): Promise<string> {
  const root = await tempDir()
  await mkdir(join(root, 'memory'))
  await writeFile(join(root, 'memory/policy.yaml'), text)
  return root
}

async function problemOf(text: string): Promise<MacdsError> {
  const root = await withPolicy(text)
  const error = await loadMemoryPolicy(root).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(MacdsError)
  expect((error as MacdsError).code).toBe('MEMORY_POLICY_INVALID')
  expect((error as MacdsError).kind).toBe('user')
  return error as MacdsError
}

describe('loadMemoryPolicy', () => {
  it('gives the defaults without a policy file, the same as the shipped memory/policy.yaml', async () => {
    const bare = await tempDir()
    expect(await loadMemoryPolicy(bare)).toBe(DEFAULT_MEMORY_POLICY)
    const shipped = await tempDir()
    await mkdir(join(shipped, 'memory'))
    await copyFile(join(repoRoot, 'memory/policy.yaml'), join(shipped, 'memory/policy.yaml'))
    const loaded = await loadMemoryPolicy(shipped)
    expect({ ...loaded, file: undefined }).toEqual(DEFAULT_MEMORY_POLICY)
  })

  it('reads durations, the threshold and per-agent budgets', async () => {
    const policy = await loadMemoryPolicy(await withPolicy(VALID))
    expect(policy.scopes.working).toEqual({ half_life_hours: 1.5, shared: false })
    expect(policy.scopes.skill.half_life_hours).toBe(720)
    expect(policy.prune.threshold).toBe(0.2)
    expect(retrievalBudget(policy, 'implementation')).toEqual({ entries: 12, tokens: 800 })
    expect(retrievalBudget(policy, 'reviewer')).toEqual({ entries: 5, tokens: 800 })
  })

  it.each([
    {
      what: 'a bad duration',
      edit: (t: string) => t.replace('half_life: 24h', 'half_life: 24 hours'),
      at: ':6:25',
      says: "half_life '24 hours' is not a duration above zero",
      hint: 'such as 90m, 24h or 7d',
    },
    {
      what: 'a duration without a unit',
      edit: (t: string) => t.replace('half_life: 7d', 'half_life: 7'),
      at: ':4:25',
      says: "half_life '7' is not a duration above zero",
      hint: 'm minutes, h hours, d days',
    },
    {
      what: 'a negative threshold',
      edit: (t: string) => t.replace('threshold: 0.2', 'threshold: -0.5'),
      at: ':8:14',
      says: 'threshold -0.5 is outside 0 to 1',
      hint: 'such as 0.1',
    },
    {
      what: 'an unknown scope name',
      edit: (t: string) => t.replace('  skill:', '  skills:'),
      at: ':5:3',
      says: "has unknown property 'skills'",
      hint: "Rename 'skills' to 'skill'",
    },
    {
      what: 'a missing scope',
      edit: (t: string) => t.replace(/ {2}failure:.*\n/, ''),
      at: ':3:3',
      says: "missing required property 'failure'",
      hint: "Add 'failure'",
    },
    {
      what: 'entries that are not a positive integer',
      edit: (t: string) => t.replace('entries: 5', 'entries: 0'),
      at: ':10:25',
      says: 'entries 0 is not a positive integer',
      hint: 'such as 8',
    },
    {
      what: 'fractional tokens in an agent budget',
      edit: (t: string) => t.replace('{ entries: 12 }', '{ entries: 12, tokens: 2.5 }'),
      at: ':12:44',
      says: 'tokens 2.5 is not a positive integer',
      hint: 'such as 1200',
    },
    {
      what: 'a misspelt section',
      edit: (t: string) => t.replace('prune:', 'prnue:'),
      at: ':7:1',
      says: "unknown property 'prnue'",
      hint: "Rename 'prnue' to 'prune'",
    },
  ])('reports $what at its position with a hint', async ({ edit, at, says, hint }) => {
    const error = await problemOf(edit(VALID))
    expect(error.message).toContain(`policy.yaml${at}  `)
    expect(error.message).toContain(says)
    expect(error.message).toContain(hint)
    expect(error.hint).toContain('memory/policy.yaml')
  })

  it('reports every problem at once', async () => {
    const text = VALID.replace('half_life: 90m', 'half_life: soon').replace('threshold: 0.2', 'threshold: 3')
    const error = await problemOf(text)
    expect(error.message).toContain('(2 problems)')
    expect(error.message).toContain(':3:25')
    expect(error.message).toContain(':8:14')
  })

  it('reports a YAML syntax error at its position', async () => {
    const error = await problemOf('scopes:\n  working: { half_life: 1h\n')
    expect(error.message).toMatch(/policy\.yaml:\d+:\d+ {2}.*YAML_SYNTAX/)
  })
})
