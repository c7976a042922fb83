/** Where a failed stage sends the run, and how many times it may. */
export interface FailureRoute {
  /** The upstream stage re-opened with the failure context; it and everything after it run again. */
  reopen: string
  /** How many times this loop may run before the conflict is escalated. */
  budget: number
}

/** One stage of a workflow: an agent answering a contract once its dependencies have passed. */
export interface StageSpec {
  id: string
  agent: string
  /** The contract the stage's output is validated against; by default the stage id. */
  contract: string
  depends_on: string[]
  /** CEL over `output` (and `input`): true when an accepted output passes. Absent: every accepted output passes. */
  pass_when?: string
  on_failure?: FailureRoute
}

/** A workflow: a DAG of stages, run with at most `concurrency` stages at once. */
export interface Workflow {
  concurrency: number
  stages: StageSpec[]
}
