import type { Key } from 'ink'
import type { Overlay, PanelId } from '../store/types.js'
import { type Binding, KEY_TABLE, type Scope } from './table.js'

/** The name of a keypress as the key table writes it, or undefined for keys it has no name for. */
export function keyName(input: string, key: Key): string | undefined {
  if (key.upArrow) return 'up'
  if (key.downArrow) return 'down'
  if (key.leftArrow) return 'left'
  if (key.rightArrow) return 'right'
  if (key.pageUp) return 'pageup'
  if (key.pageDown) return 'pagedown'
  if (key.home) return 'home'
  if (key.end) return 'end'
  if (key.return) return 'enter'
  if (key.escape) return 'escape'
  if (key.tab) return key.shift ? 'shift+tab' : 'tab'
  // Most terminals send DEL for the backspace key, which Ink reports as delete.
  if (key.backspace || key.delete) return 'backspace'
  if (key.ctrl && input) return `ctrl+${input}`
  if (input === ' ') return 'space'
  return input.length === 1 ? input : undefined
}

/** The scopes that take keys, first to last: the top overlay alone, or the focused panel, lists, then global. */
export function activeScopes(overlay: Overlay | undefined, focus: PanelId): Scope[] {
  if (overlay) {
    switch (overlay.kind) {
      case 'help':
        return ['help']
      case 'diff':
        return ['diff']
      case 'reason':
      case 'requirement':
        return ['input']
      case 'commits':
        return ['commits']
      case 'violation':
        return ['violation']
    }
  }
  const panel: Scope[] = focus === 'agents' || focus === 'memory' ? [] : [focus]
  return [...panel, 'list', 'global']
}

/** The binding a key runs in these scopes, if any. Ctrl+C always quits, whatever is on top. */
export function resolveKey(
  name: string,
  scopes: readonly Scope[],
  table: readonly Binding[] = KEY_TABLE,
): Binding | undefined {
  for (const scope of scopes) {
    const found = table.find((b) => b.scope === scope && b.keys.includes(name))
    if (found) return found
  }
  return name === 'ctrl+c' ? table.find((b) => b.command === 'quit') : undefined
}
