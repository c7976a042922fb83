import { describe, expect, it } from 'vitest'
import { createRedactor, REDACTED } from '../../src/core/secrets.js'

describe('createRedactor', () => {
  it('masks the given values and secret-named environment variables', () => {
    const redact = createRedactor(['my-local-key-123'], {
      GITHUB_TOKEN: 'abcdefgh12345678',
      HOME: '/home/someone',
    })
    const out = redact('key my-local-key-123 and abcdefgh12345678 in /home/someone')
    expect(out).toBe(`key ${REDACTED} and ${REDACTED} in /home/someone`)
  })

  it.each([
    ['an OpenAI key', 'use sk-proj-AbCdEf0123456789xyzXYZ now'],
    ['a GitHub token', 'token ghp_0123456789abcdefghijABCDEFGHIJ0123'],
    ['a Slack token', 'xoxb-1234567890-abcdefghij'],
    ['an AWS key id', 'AKIAABCDEFGHIJKLMNOP'],
    ['a bearer header', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz'],
    ['an assignment', 'API_KEY="s3cr3t-value-here"'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----'],
  ])('masks %s', (_, text) => {
    const out = createRedactor([])(text)
    expect(out).toContain(REDACTED)
    expect(out).not.toMatch(
      /sk-proj-AbCd|ghp_0123|xoxb-1234567890|AKIAABCD|abcdefghijklmnopqrstuvwxyz|s3cr3t|MIIabc/,
    )
  })

  it('masks assignments inside JSON text, where quotes are escaped', () => {
    const json = JSON.stringify({ note: 'API_KEY="s3cr3t-value-here" and password: "hunter2hunter2"' })
    const out = createRedactor([])(json)
    expect(out).not.toMatch(/s3cr3t|hunter2/)
    expect(JSON.parse(out)).toEqual({ note: `API_KEY="${REDACTED}" and password: "${REDACTED}"` })
  })

  it('leaves ordinary text and short values alone', () => {
    const text = 'const token: string = read()\nport: 8080'
    expect(createRedactor(['short'])(text)).toBe(text)
  })
})
