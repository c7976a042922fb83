import { render, Text, useApp, useInput } from 'ink'

/**
 * The smallest Ink app that stays open: one line of text, and the keyboard read as the supervisor reads
 * it (raw mode, through `useInput`), `q` quits. The UI benchmarks bundle it like the CLI and compare the
 * supervisor with it: spawn to first output, and CPU while idle.
 */
function Minimal() {
  const { exit } = useApp()
  useInput((input) => {
    if (input === 'q') exit()
  })
  return <Text>minimal ink app: q quits</Text>
}

render(<Minimal />, { exitOnCtrlC: true, patchConsole: false })
