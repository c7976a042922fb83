/** The four kinds of memory, each with its own half-life and its own file. */
export type MemoryScope = 'working' | 'project' | 'skill' | 'failure'

export const MEMORY_SCOPES: readonly MemoryScope[] = ['working', 'project', 'skill', 'failure']

/** The agent value of a note every agent may recall. */
export const ALL_AGENTS = 'all'

/** One note an agent (or a person) left for later: what it says, for whom, and how sure it was. */
export interface MemoryEntry {
  /** `m-` and 8 hex digits. */
  id: string
  scope: MemoryScope
  /** The agent id the note is for, or `all`. */
  agent: string
  content: string
  tags: string[]
  /** How much the note was trusted when last reinforced, 0..1: its strength at that moment. */
  confidence: number
  /** ISO time the note was first written. */
  created: string
  /** ISO time the note last helped (or was written again); its decay starts here. */
  reinforced: string
  /** The run and stage that wrote it, when a run did. */
  source?: { run?: string; stage?: string }
}

/** What a caller gives to remember something; the store assigns the id and the times. */
export type NewMemoryEntry = Omit<MemoryEntry, 'id' | 'created' | 'reinforced' | 'tags'> & { tags?: string[] }

/** How long notes of one scope last. */
export interface ScopePolicy {
  /** Hours after which a note's strength has halved. */
  half_life_hours: number
  /** True when the scope's file is committed with the repository. */
  shared: boolean
}

/** At most this much memory goes into one prompt. */
export interface RetrievalBudget {
  entries: number
  tokens: number
}

/** The rules of memory/policy.yaml, with defaults filled in. */
export interface MemoryPolicy {
  /** The file read, or undefined when the defaults apply. */
  file: string | undefined
  scopes: Record<MemoryScope, ScopePolicy>
  prune: { threshold: number }
  retrieval: { per_agent: RetrievalBudget; agents: Record<string, RetrievalBudget> }
}

/** A note with how strong it is at a given moment. */
export interface WeighedEntry {
  entry: MemoryEntry
  /** confidence × 2^(-hours since reinforced / half-life), 0..1. */
  strength: number
  /** Hours since the note was last reinforced. */
  age_hours: number
}

/** A note recalled for a task: also how relevant it is, and the product the ranking used. */
export interface RecalledEntry extends WeighedEntry {
  relevance: number
  score: number
}

/** What an agent is about to do, to recall the notes that matter for it. */
export interface RecallQuery {
  agent: string
  /** The task: the requirement, the stage, the failure context; its words are matched against notes. */
  text: string
  tags?: string[]
  now?: Date
  /** Overrides of the policy's budget for this agent. */
  entries?: number
  tokens?: number
}
