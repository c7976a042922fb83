import { Text } from 'ink'
import { useSupervisor } from '../context.js'
import { fit } from '../format.js'
import { activeScopes } from '../keys/match.js'
import { KEY_TABLE, keyLabel, type Scope } from '../keys/table.js'
import type { SupervisorState } from '../store/store.js'

/** The keys that work now, from the key table, and the last notice. */
export function Footer() {
  const notice = useSupervisor((s) => s.notice)
  const width = useSupervisor((s) => s.size.columns)
  const hints = useSupervisor((s) => footerHints(activeScopes(s.overlays.at(-1), s.focus), s))
  return (
    <>
      <Text color="yellow">{fit(notice ?? ' ', width)}</Text>
      <Text dimColor>{fit(hints, width)}</Text>
    </>
  )
}

/** The footer's hints for these scopes; keys disabled right now are left out. */
export function footerHints(scopes: readonly Scope[], state: SupervisorState): string {
  return scopes
    .flatMap((scope) => KEY_TABLE.filter((b) => b.scope === scope && b.footer && !b.disabled?.(state)))
    .map((b) => `${keyLabel(b)} ${b.description.split(/[,;(]/)[0]?.trim()}`)
    .join(' · ')
}
