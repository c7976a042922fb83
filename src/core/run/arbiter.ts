import type { Arbiter } from './events.js'

interface Ranked {
  id: string
  authority: number
}

/**
 * Who settles a conflict: the highest-authority agent that is not involved and outranks every agent
 * involved; where there is none (for example the product agent against the architect), a person.
 * Ties in authority go to the agent whose id sorts first, so the choice is stable.
 */
export function chooseArbiter(agents: readonly Ranked[], involved: readonly string[]): Arbiter {
  const ranks = agents.filter((a) => involved.includes(a.id)).map((a) => a.authority)
  const top = Math.max(...ranks)
  const candidates = agents
    .filter((a) => !involved.includes(a.id) && a.authority > top)
    .sort((a, b) => b.authority - a.authority || a.id.localeCompare(b.id))
  const [best] = candidates
  return best ? { agent: best.id, authority: best.authority } : 'human'
}
