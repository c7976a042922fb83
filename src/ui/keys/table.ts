import type { SupervisorState } from '../store/store.js'

/** Where a binding applies: everywhere, a panel, any list panel, or an overlay. */
export type Scope =
  | 'global'
  | 'list'
  | 'approvals'
  | 'artifacts'
  | 'contracts'
  | 'violations'
  | 'log'
  | 'help'
  | 'diff'
  | 'input'
  | 'commits'
  | 'violation'

export type CommandId =
  | 'help'
  | 'quit'
  | 'next_panel'
  | 'previous_panel'
  | 'focus_panel'
  | 'new_run'
  | 'cancel_run'
  | 'cycle_mode'
  | 'up'
  | 'down'
  | 'open'
  | 'approve'
  | 'reject'
  | 'show_diff'
  | 'open_item_in_editor'
  | 'edit_contract'
  | 'filter_agent'
  | 'close'
  | 'page_up'
  | 'page_down'
  | 'top'
  | 'bottom'
  | 'submit'
  | 'erase'

export interface Binding {
  command: CommandId
  /** Key names as keyName() gives them: `a`, `enter`, `ctrl+c`, `shift+tab`, `pageup`. */
  keys: string[]
  scope: Scope
  description: string
  /** Shown in the footer when its scope is active. */
  footer: boolean
  /** Why the key does nothing right now, or undefined when it works. */
  disabled?: (state: SupervisorState) => string | undefined
}

const noRun = (s: SupervisorState) => (s.run?.status === 'running' ? undefined : 'no run is in progress')
const emptyQueue = (s: SupervisorState) => (s.queue.length === 0 ? 'nothing waits for a decision' : undefined)

/**
 * Every key of the supervisor. The dispatcher, the footer, the help overlay and the README's key map
 * are all made from this table.
 */
export const KEY_TABLE: readonly Binding[] = [
  { command: 'help', keys: ['?'], scope: 'global', description: 'show every key', footer: true },
  {
    command: 'quit',
    keys: ['q', 'ctrl+c'],
    scope: 'global',
    description: 'quit (a run in progress is cancelled; `macds resume` continues it)',
    footer: true,
  },
  {
    command: 'next_panel',
    keys: ['tab'],
    scope: 'global',
    description: 'focus the next panel',
    footer: true,
  },
  {
    command: 'previous_panel',
    keys: ['shift+tab'],
    scope: 'global',
    description: 'focus the previous panel',
    footer: false,
  },
  {
    command: 'focus_panel',
    keys: ['1', '2', '3', '4', '5', '6', '7'],
    scope: 'global',
    description: 'focus a panel by its number',
    footer: false,
  },
  {
    command: 'new_run',
    keys: ['n'],
    scope: 'global',
    description: 'start a run from a typed requirement',
    footer: true,
    disabled: (s) => (s.run?.status === 'running' ? 'a run is in progress; x cancels it' : undefined),
  },
  {
    command: 'cancel_run',
    keys: ['x'],
    scope: 'global',
    description: 'cancel the run in progress',
    footer: true,
    disabled: noRun,
  },
  {
    command: 'cycle_mode',
    keys: ['m'],
    scope: 'global',
    description: 'cycle the approval mode: ask, auto, reject',
    footer: true,
  },
  { command: 'up', keys: ['up', 'k'], scope: 'list', description: 'move up', footer: false },
  { command: 'down', keys: ['down', 'j'], scope: 'list', description: 'move down', footer: false },
  { command: 'open', keys: ['enter'], scope: 'list', description: 'open the selected row', footer: false },
  {
    command: 'approve',
    keys: ['a'],
    scope: 'approvals',
    description: 'approve the decision on screen',
    footer: true,
    disabled: emptyQueue,
  },
  {
    command: 'reject',
    keys: ['r'],
    scope: 'approvals',
    description: 'reject it, with a reason typed inline',
    footer: true,
    disabled: emptyQueue,
  },
  {
    command: 'show_diff',
    keys: ['d'],
    scope: 'approvals',
    description: 'show its diff full screen',
    footer: true,
    disabled: emptyQueue,
  },
  {
    command: 'open_item_in_editor',
    keys: ['e'],
    scope: 'approvals',
    description: 'open it in $EDITOR',
    footer: true,
    disabled: emptyQueue,
  },
  {
    command: 'edit_contract',
    keys: ['e'],
    scope: 'contracts',
    description: 'edit the contract in $EDITOR; it reloads when saved',
    footer: true,
  },
  {
    command: 'filter_agent',
    keys: ['f'],
    scope: 'log',
    description: 'show one agent only (cycles)',
    footer: true,
  },
  { command: 'close', keys: ['escape', 'q'], scope: 'help', description: 'close the help', footer: true },
  { command: 'close', keys: ['escape', 'q'], scope: 'diff', description: 'close the diff', footer: true },
  { command: 'up', keys: ['up', 'k'], scope: 'diff', description: 'scroll up', footer: false },
  { command: 'down', keys: ['down', 'j'], scope: 'diff', description: 'scroll down', footer: false },
  { command: 'page_up', keys: ['pageup', 'b'], scope: 'diff', description: 'scroll a page up', footer: true },
  {
    command: 'page_down',
    keys: ['pagedown', 'space'],
    scope: 'diff',
    description: 'scroll a page down',
    footer: true,
  },
  { command: 'top', keys: ['home', 'g'], scope: 'diff', description: 'go to the top', footer: false },
  { command: 'bottom', keys: ['end', 'G'], scope: 'diff', description: 'go to the bottom', footer: false },
  { command: 'submit', keys: ['enter'], scope: 'input', description: 'send what you typed', footer: true },
  { command: 'close', keys: ['escape'], scope: 'input', description: 'cancel', footer: true },
  { command: 'erase', keys: ['backspace'], scope: 'input', description: 'erase a character', footer: false },
  { command: 'up', keys: ['up', 'k'], scope: 'commits', description: 'move up', footer: false },
  { command: 'down', keys: ['down', 'j'], scope: 'commits', description: 'move down', footer: false },
  { command: 'open', keys: ['enter'], scope: 'commits', description: "show the commit's diff", footer: true },
  {
    command: 'close',
    keys: ['escape', 'q'],
    scope: 'commits',
    description: 'back to the artifacts',
    footer: true,
  },
  {
    command: 'close',
    keys: ['escape', 'q', 'enter'],
    scope: 'violation',
    description: 'close',
    footer: true,
  },
]

/** The label a footer or the help shows for a binding's keys. */
export function keyLabel(binding: Binding): string {
  if (binding.command === 'focus_panel') return '1-7'
  return binding.keys.join('/')
}
