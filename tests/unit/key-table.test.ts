import { describe, expect, it } from 'vitest'
import { activeScopes, resolveKey } from '../../src/ui/keys/match.js'
import { KEY_TABLE, type Scope } from '../../src/ui/keys/table.js'
import { footerHints } from '../../src/ui/panels/Footer.js'
import { createSupervisorStore } from '../../src/ui/store/store.js'
import { DEFAULT_WORKFLOW } from '../../src/core/workflow/default.js'

describe('the key table', () => {
  it('binds no key twice where the same scopes are active', () => {
    const seen = new Map<string, string>()
    for (const binding of KEY_TABLE) {
      for (const key of binding.keys) {
        const where = `${binding.scope} ${key}`
        expect(
          seen.get(where),
          `${where} is bound to ${seen.get(where)} and ${binding.command}`,
        ).toBeUndefined()
        seen.set(where, binding.command)
      }
    }
  })

  it('describes every binding, and every key has a name', () => {
    for (const binding of KEY_TABLE) {
      expect(binding.description.length, binding.command).toBeGreaterThan(3)
      expect(binding.keys.length, binding.command).toBeGreaterThan(0)
      for (const key of binding.keys) expect(key).toMatch(/^(\S|ctrl\+\w|shift\+tab|[a-z]+)$/)
    }
  })

  it('has a footer hint in every scope that takes keys', () => {
    const scopes = new Set(KEY_TABLE.map((b) => b.scope))
    for (const scope of scopes) {
      if (scope === 'list') continue
      expect(
        KEY_TABLE.some((b) => b.scope === scope && b.footer),
        scope,
      ).toBe(true)
    }
  })

  it.each<[string, Parameters<typeof activeScopes>, string, string | undefined]>([
    ['a panel key wins over a global one', [undefined, 'approvals'], 'a', 'approve'],
    ['e edits a contract in the contracts panel', [undefined, 'contracts'], 'e', 'edit_contract'],
    ['e opens the decision in the approvals panel', [undefined, 'approvals'], 'e', 'open_item_in_editor'],
    ['lists move with j', [undefined, 'violations'], 'j', 'down'],
    ['global keys work in a panel', [undefined, 'log'], 'n', 'new_run'],
    ['an overlay takes the keys alone', [{ kind: 'help' }, 'approvals'], 'a', undefined],
    [
      'q closes an overlay instead of quitting',
      [{ kind: 'diff', title: '', text: '', scroll: 0 }, 'approvals'],
      'q',
      'close',
    ],
    ['typed text is not a command', [{ kind: 'reason', id: 'g', draft: '' }, 'approvals'], 'q', undefined],
    ['ctrl+c quits even from an input', [{ kind: 'requirement', draft: '' }, 'approvals'], 'ctrl+c', 'quit'],
  ])('%s', (_name, [overlay, focus], key, command) => {
    expect(resolveKey(key, activeScopes(overlay, focus))?.command).toBe(command)
  })

  it('leaves disabled keys out of the footer', () => {
    const store = createSupervisorStore({
      project: { repo: 'r', branch: 'main', provider: 'scripted', model: 'm' },
      workflow: DEFAULT_WORKFLOW,
      agents: [],
      thresholds: { low: 0.4, high: 0.85 },
    })
    const scopes: Scope[] = ['approvals', 'list', 'global']
    const idle = footerHints(scopes, store.getState())
    expect(idle).toContain('n start a run')
    expect(idle).not.toContain('a approve')
    expect(idle).not.toContain('x cancel')
  })
})
