import { describe, expect, it } from 'vitest'
import { commandEnv } from '../../src/core/pipeline/index.js'

const FROM = {
  PATH: '/usr/bin',
  HOME: '/home/u',
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  TERM: 'xterm',
  OPENAI_API_KEY: 'sk-abc',
  GITHUB_TOKEN: 'ghp_x',
  AWS_SECRET_ACCESS_KEY: 'aws',
  NODE_OPTIONS: '--require evil.js',
  GIT_DIR: '/elsewhere',
  NPM_TOKEN: 'npm-token',
  JAVA_OPTS: '-Xmx1g',
  CI: 'github',
}

describe('commandEnv', () => {
  it('keeps the allowlist and sets CI and NO_COLOR', () => {
    const { env, secrets, warnings } = commandEnv([], FROM)
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      TERM: 'xterm',
      CI: 'true',
      NO_COLOR: '1',
    })
    expect(secrets).toEqual([])
    expect(warnings).toEqual([])
  })

  it('adds listed names; a secret-named one is passed with a warning and its value to mask', () => {
    const { env, secrets, warnings } = commandEnv(['JAVA_OPTS', 'NPM_TOKEN', 'CI', 'MISSING'], FROM)
    expect(env.JAVA_OPTS).toBe('-Xmx1g')
    expect(env.NPM_TOKEN).toBe('npm-token')
    expect(env.CI).toBe('github')
    expect('MISSING' in env).toBe(false)
    expect(secrets).toEqual(['npm-token'])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('NPM_TOKEN')
  })

  it.each(['OPENAI_API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'MY_APIKEY'])(
    'treats %s as a secret',
    (name) => {
      expect(commandEnv([name], { [name]: 'value' }).warnings).toHaveLength(1)
    },
  )
})
