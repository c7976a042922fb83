import type { Workflow } from './types.js'

/** The default loop budget of a failure route. */
export const DEFAULT_LOOP_BUDGET = 3

const toImplementation = { reopen: 'implementation', budget: DEFAULT_LOOP_BUDGET }

/**
 * The default workflow of the product design:
 * requirements → architecture → (implementation, infra) → (review, build_test) → integration →
 * final_approval. Review, build_test and integration failures re-open implementation; a rejected
 * final approval re-opens architecture.
 */
export const DEFAULT_WORKFLOW: Workflow = {
  concurrency: 4,
  stages: [
    { id: 'requirements', agent: 'product', contract: 'requirements', depends_on: [] },
    { id: 'architecture', agent: 'architect', contract: 'architecture', depends_on: ['requirements'] },
    {
      id: 'implementation',
      agent: 'implementation',
      contract: 'implementation',
      depends_on: ['architecture'],
    },
    { id: 'infra', agent: 'infra', contract: 'infra', depends_on: ['architecture'] },
    {
      id: 'review',
      agent: 'reviewer',
      contract: 'review',
      depends_on: ['implementation'],
      pass_when: "output.verdict == 'approve'",
      on_failure: toImplementation,
    },
    {
      id: 'build_test',
      agent: 'buildtest',
      contract: 'build_test',
      depends_on: ['implementation', 'infra'],
      pass_when: "output.verdict == 'pass'",
      on_failure: toImplementation,
    },
    {
      id: 'integration',
      agent: 'integrator',
      contract: 'integration',
      depends_on: ['review', 'build_test'],
      pass_when: "output.action == 'merge'",
      on_failure: toImplementation,
    },
    {
      id: 'final_approval',
      agent: 'architect',
      contract: 'final_approval',
      depends_on: ['integration'],
      pass_when: "output.decision == 'approve'",
      on_failure: { reopen: 'architecture', budget: DEFAULT_LOOP_BUDGET },
    },
  ],
}
