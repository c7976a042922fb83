import type { SupervisorStore } from '../store/store.js'
import { type Overlay, PANELS, type PanelId } from '../store/types.js'
import type { Session } from '../session/types.js'
import type { Binding } from './table.js'

/** Rows a page scrolls in the diff overlay. */
const PAGE = 10

/** Runs a binding's command. Every key of the supervisor ends up here. */
export function runCommand(binding: Binding, key: string, store: SupervisorStore, session: Session): void {
  const s = store.getState()
  const reason = binding.disabled?.(s)
  if (reason) return s.notify(`${binding.keys[0]}: ${reason}`)
  const top = s.overlays.at(-1)
  switch (binding.command) {
    case 'help':
      return s.push({ kind: 'help' })
    case 'quit':
      return session.quit()
    case 'next_panel':
      return s.cycleFocus(1)
    case 'previous_panel':
      return s.cycleFocus(-1)
    case 'focus_panel':
      return s.focusPanel(PANELS[Number(key) - 1] ?? s.focus)
    case 'new_run':
      return s.push({ kind: 'requirement', draft: '' })
    case 'cancel_run':
      session.cancelRun()
      return s.notify('cancelling the run…')
    case 'cycle_mode': {
      const mode = s.cycleMode()
      session.modeChanged(mode)
      return s.notify(`approval mode: ${mode}`)
    }
    case 'up':
    case 'down':
    case 'page_up':
    case 'page_down':
    case 'top':
    case 'bottom':
      return move(store, binding.command)
    case 'open':
      if (top?.kind === 'commits')
        return void session.showCommit(top.artifact, top.commits[top.cursor]?.commit)
      return open(store, session, s.focus)
    case 'approve':
    case 'reject': {
      const item = s.queue[s.cursor.approvals ?? 0]
      if (!item) return
      if (item.answered) return s.notify(`${item.id} is answered already`)
      if (binding.command === 'reject') return s.push({ kind: 'reason', id: item.id, draft: '' })
      s.markAnswered(item.id, 'approve')
      session.answer(item.id, 'approve')
      return s.notify(`${item.id} approved`)
    }
    case 'show_diff': {
      const item = s.queue[s.cursor.approvals ?? 0]
      if (!item) return
      const title = `${item.id} · ${item.stage} · ${item.agent}`
      if (!item.diff && item.artifacts.length > 0) return void session.showDiffs(title, item.artifacts)
      return s.push({ kind: 'diff', title, text: item.diff ?? item.detail, scroll: 0 })
    }
    case 'open_item_in_editor': {
      const item = s.queue[s.cursor.approvals ?? 0]
      if (item)
        void session.viewInEditor(
          `${item.id}.txt`,
          [item.summary, '', ...item.why, '', item.detail, item.diff ?? ''].join('\n'),
        )
      return
    }
    case 'edit_contract': {
      const row = s.contracts[s.cursor.contracts ?? 0]
      if (row) void session.editFile(row.file)
      return
    }
    case 'filter_agent': {
      const agents = [undefined, ...s.agents.map((a) => a.id)]
      const next = agents[(agents.indexOf(s.logAgent) + 1) % agents.length]
      s.set({ logAgent: next })
      return s.notify(`log: ${next ?? 'every agent'}`)
    }
    case 'close':
      return s.pop()
    case 'submit':
      return submit(store, session)
    case 'erase':
      return type(store, undefined)
  }
}

/** Whether an overlay is a text input (a rejection's reason, a new run's requirement). */
export function isInput(overlay: Overlay | undefined): overlay is Extract<Overlay, { draft: string }> {
  return overlay?.kind === 'reason' || overlay?.kind === 'requirement'
}

/** Adds typed text to the draft of the input on top, or erases its last character. */
export function type(store: SupervisorStore, text: string | undefined): void {
  const s = store.getState()
  const top = s.overlays.at(-1)
  if (!isInput(top)) return
  const draft = text === undefined ? top.draft.slice(0, -1) : top.draft + text
  s.replaceTop({ ...top, draft })
}

function submit(store: SupervisorStore, session: Session): void {
  const s = store.getState()
  const top = s.overlays.at(-1)
  if (top?.kind === 'requirement') {
    const requirement = top.draft.trim()
    if (!requirement) return s.notify('type the requirement first, or escape to cancel')
    s.pop()
    return session.startRun(requirement)
  }
  if (top?.kind === 'reason') {
    s.pop()
    s.markAnswered(top.id, 'reject')
    session.answer(top.id, 'reject', top.draft.trim() || undefined)
    s.notify(`${top.id} rejected`)
  }
}

function move(
  store: SupervisorStore,
  command: 'up' | 'down' | 'page_up' | 'page_down' | 'top' | 'bottom',
): void {
  const s = store.getState()
  const top = s.overlays.at(-1)
  const step = { up: -1, down: 1, page_up: -PAGE, page_down: PAGE, top: -Infinity, bottom: Infinity }[command]
  if (top?.kind === 'diff') {
    const last = Math.max(0, top.text.split('\n').length - 1)
    return s.replaceTop({ ...top, scroll: Math.min(Math.max(top.scroll + step, 0), last) })
  }
  if (top?.kind === 'commits') {
    const cursor = Math.min(Math.max(top.cursor + step, 0), Math.max(0, top.commits.length - 1))
    return s.replaceTop({ ...top, cursor })
  }
  s.moveCursor(s.focus, step, listLength(s, s.focus))
}

function listLength(s: ReturnType<SupervisorStore['getState']>, panel: PanelId): number {
  switch (panel) {
    case 'approvals':
      return s.queue.length
    case 'violations':
      return s.violations.length
    case 'artifacts':
      return s.artifacts.length
    case 'contracts':
      return s.contracts.length
    case 'log':
    case 'agents':
    case 'memory':
      return 0
  }
}

function open(store: SupervisorStore, session: Session, panel: PanelId): void {
  const s = store.getState()
  if (panel === 'violations') {
    const v = s.violations[s.cursor.violations ?? 0]
    if (v) s.push({ kind: 'violation', key: v.key })
  } else if (panel === 'artifacts') {
    const row = s.artifacts[s.cursor.artifacts ?? 0]
    if (row) void session.showArtifact(row.name)
  } else if (panel === 'approvals') {
    runCommand(
      { command: 'show_diff', keys: ['d'], scope: 'approvals', description: '', footer: false },
      'd',
      store,
      session,
    )
  }
}
