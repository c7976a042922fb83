import { Box, useInput, useStdout } from 'ink'
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useSession, useStoreApi, useSupervisor } from './context.js'
import { isInput, runCommand, type } from './keys/commands.js'
import { activeScopes, keyName, resolveKey } from './keys/match.js'
import { Overlay } from './overlays/Overlay.js'
import { Agents } from './panels/Agents.js'
import { Approvals } from './panels/Approvals.js'
import { Artifacts } from './panels/Artifacts.js'
import { Boundary } from './panels/Boundary.js'
import { Contracts } from './panels/Contracts.js'
import { Dag } from './panels/Dag.js'
import { Footer } from './panels/Footer.js'
import { Log } from './panels/Log.js'
import { Memory } from './panels/Memory.js'
import { StatusLine } from './panels/StatusLine.js'
import { Tabs, TITLES } from './panels/Tabs.js'
import { Violations } from './panels/Violations.js'
import type { PanelId } from './store/types.js'

/**
 * The supervisor's main screen: status line, DAG, the panels, and the footer; overlays cover the middle.
 * The middle is clipped vertically only: every line is already fitted to the width (or wrapped by its
 * Text), and clipping sideways would make Ink slice every line of every frame (a fifth of a frame's cost).
 */
export function App() {
  useTerminalSize()
  useKeys()
  const { columns, rows } = useSupervisor(useShallow((s) => s.size))
  const overlay = useSupervisor((s) => s.overlays.at(-1))
  const roomy = columns >= 120 && rows >= 36
  const middle = rows - 5
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <StatusLine />
      {overlay ? (
        <Box flexDirection="column" height={middle} overflowY="hidden">
          <Boundary name="overlay">
            <Overlay overlay={overlay} height={middle} />
          </Boundary>
        </Box>
      ) : (
        <Box flexDirection="column" height={middle} overflowY="hidden">
          <Boundary name="workflow">
            <Workflow maxRows={Math.max(4, Math.floor(middle / 2))} />
          </Boundary>
          {roomy ? (
            <Box marginTop={1} flexDirection="column">
              <Boundary name="agents">
                <Agents />
              </Boundary>
            </Box>
          ) : null}
          <Box marginTop={1}>
            <Tabs />
          </Box>
          <Box flexDirection="column" flexGrow={1} overflowY="hidden">
            <FocusedPanel height={Math.max(3, middle - (roomy ? 20 : 11))} />
          </Box>
        </Box>
      )}
      <Footer />
    </Box>
  )
}

/**
 * The focused panel. It reads the focus itself, so that moving the focus renders it and the tab bar
 * again, not the whole screen (the DAG's layout, the agents).
 */
function FocusedPanel({ height }: { height: number }) {
  const focus = useSupervisor((s) => s.focus)
  return (
    <Boundary name={TITLES[focus]}>
      <Panel id={focus} height={height} />
    </Boundary>
  )
}

function Panel({ id, height }: { id: PanelId; height: number }) {
  switch (id) {
    case 'approvals':
      return <Approvals height={height} />
    case 'violations':
      return <Violations height={height} />
    case 'agents':
      return <Agents />
    case 'artifacts':
      return <Artifacts />
    case 'contracts':
      return <Contracts />
    case 'memory':
      return <Memory height={height} />
    case 'log':
      return <Log height={height} />
  }
}

/** The DAG, its spinner turned by the bridge's frames (which come only while a run goes on). */
function Workflow({ maxRows }: { maxRows: number }) {
  const stages = useSupervisor((s) => s.stages)
  const width = useSupervisor((s) => s.size.columns)
  const clock = useSupervisor((s) => s.clock)
  const frame = useSupervisor((s) => s.frame)
  return <Dag stages={Object.values(stages)} width={width} now={clock} frame={frame} maxRows={maxRows} />
}

/** One dispatcher for every key: the top overlay, else the focused panel, lists, then global keys. */
function useKeys() {
  const store = useStoreApi()
  const session = useSession()
  useInput((input, key) => {
    const typing = () => isInput(store.getState().overlays.at(-1))
    const name = keyName(input, key)
    if (name !== undefined) return press(name, key.ctrl || key.meta ? '' : input)
    if (key.ctrl || key.meta) return
    // Keys read together (typed while the app was busy) are taken one at a time until an input opens.
    let i = 0
    if (/^[\x20-\x7e\r\t]+$/.test(input))
      for (; i < input.length && !typing(); i++) {
        const char = input[i] ?? ''
        press(CHARACTER_KEYS[char] ?? char, char)
      }
    // The rest is text for the input, pasted lines included. Text that ends with a line break (a paste,
    // or a key and enter read together) is sent, as a shell would.
    const text = input.slice(i)
    if (!text || !typing()) return
    const line = text.replace(/[\r\n]+$/, '')
    type(store, line.replace(/[\r\n]+/g, ' '))
    if (line !== text) press('enter', '')
  })

  /** Runs the key's binding; in an input, a key without one types its text. */
  function press(name: string, text: string) {
    const s = store.getState()
    const overlay = s.overlays.at(-1)
    const binding = resolveKey(name, activeScopes(overlay, s.focus))
    if (binding) {
      if (s.notice) s.notify(undefined)
      runCommand(binding, name, store, session)
    } else if (isInput(overlay) && text) type(store, text)
  }
}

/** The key names of the characters that are not their own name. */
const CHARACTER_KEYS: Record<string, string> = { '\r': 'enter', '\t': 'tab', ' ': 'space' }

/** Keeps the store's size in step with the terminal's. */
function useTerminalSize() {
  const { stdout } = useStdout()
  const store = useStoreApi()
  useEffect(() => {
    const update = () =>
      store.getState().set({ size: { columns: stdout.columns || 80, rows: stdout.rows || 24 } })
    update()
    stdout.on('resize', update)
    return () => void stdout.off('resize', update)
  }, [stdout, store])
}
