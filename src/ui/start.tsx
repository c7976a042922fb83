import { render, type Instance } from 'ink'
import type { ReadStream, WriteStream } from 'node:tty'
import type { ProjectConfig } from '../core/config/load.js'
import type { ContractRegistry } from '../core/contracts/registry.js'
import type { ProviderChoice } from '../core/providers/create.js'
import type { Redactor } from '../core/secrets.js'
import { App } from './App.js'
import { SessionContext, StoreContext } from './context.js'
import { createSession } from './session/session.js'
import type { LoadedProject } from './session/project.js'
import { createBridge } from './store/bridge.js'
import { contractRows } from './store/contracts.js'
import { createSupervisorStore } from './store/store.js'
import { enterAlternateScreen, leaveAlternateScreen } from './terminal.js'

export interface SupervisorOptions {
  config: ProjectConfig
  choice: ProviderChoice
  /** The project as `loadProject` read it. */
  loaded: LoadedProject
  redact: Redactor
  stdin: ReadStream
  stdout: WriteStream
  /** A requirement to start a run with as soon as the screen is up (the demo). */
  start?: string
}

/**
 * Opens the supervisor full screen and resolves once the person quits. The alternate screen is
 * entered first and left on every way out: quitting, a crash, SIGINT, SIGTERM, SIGHUP.
 */
export async function startSupervisor(options: SupervisorOptions): Promise<number> {
  const { config, stdin, stdout, loaded } = options
  const store = createSupervisorStore({
    project: loaded.project,
    workflow: config.workflow,
    agents: loaded.views,
    thresholds: config.evaluation.thresholds,
    size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
  })
  const bridge = createBridge(store, loaded.facts, {
    // Effects arrive only once a run has started, after the session below exists.
    changed: (what) => void session.refresh(what),
    redact: options.redact,
  })

  let instance: Instance | undefined
  let contracts: ContractRegistry | undefined
  let quit: (code: number) => void = () => {}
  const ended = new Promise<number>((resolve) => (quit = resolve))
  const mount = () => {
    instance = render(
      <StoreContext.Provider value={store}>
        <SessionContext.Provider value={session}>
          <App />
        </SessionContext.Provider>
      </StoreContext.Provider>,
      // 60 frames a second: a key waits at most one short frame behind a burst of run events.
      { stdin, stdout, exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
    )
  }
  const session = createSession({
    config,
    agents: loaded.agents,
    choice: options.choice,
    store,
    bridge,
    exit: (code) => quit(code),
    redact: options.redact,
    contracts: () => contracts,
    async handOver(program) {
      instance?.unmount()
      leaveAlternateScreen(stdout)
      try {
        await program()
      } finally {
        enterAlternateScreen(stdout)
        mount()
      }
    },
  })
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1)
    session.cancelRun()
    void (session.running() ?? Promise.resolve()).finally(() => quit(code))
  }
  const onCrash = (error: unknown) => {
    leaveAlternateScreen(stdout)
    process.stderr.write(
      `macds: the supervisor crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exit(1)
  }
  const restore = () => leaveAlternateScreen(stdout)
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, onSignal)
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  process.on('exit', restore)

  enterAlternateScreen(stdout)
  let unsubscribe = () => {}
  try {
    mount()
    // Loaded and compiled once the screen is up: the first frame waits neither for the contract
    // compiler (Ajv, the file watcher) to load nor for the contracts to compile.
    const { ContractRegistry } = await import('../core/contracts/registry.js')
    contracts = await ContractRegistry.load(config.paths.contracts)
    store.getState().set({ contracts: contractRows(contracts.entries()) })
    unsubscribe = contracts.subscribe(bridge.contract)
    await contracts.watch()
    void Promise.all([session.refresh('artifacts'), session.refresh('memory')]).catch(() => {})
    if (options.start) session.startRun(options.start)
    return await ended
  } finally {
    instance?.unmount()
    await instance?.waitUntilExit().catch(() => {})
    bridge.dispose()
    unsubscribe()
    await contracts?.close()
    leaveAlternateScreen(stdout)
    for (const signal of signals) process.off(signal, onSignal)
    process.off('uncaughtException', onCrash)
    process.off('unhandledRejection', onCrash)
    process.off('exit', restore)
  }
}
