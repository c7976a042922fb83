import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { Session } from './session/types.js'
import type { SupervisorActions, SupervisorState, SupervisorStore } from './store/store.js'

export const StoreContext = createContext<SupervisorStore | undefined>(undefined)
export const SessionContext = createContext<Session | undefined>(undefined)

/** Reads a narrow slice of the supervisor's store; the component renders again only when it changes. */
export function useSupervisor<T>(selector: (state: SupervisorState & SupervisorActions) => T): T {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useSupervisor outside the supervisor app')
  return useStore(store, selector)
}

export function useStoreApi(): SupervisorStore {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useStoreApi outside the supervisor app')
  return store
}

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside the supervisor app')
  return session
}
