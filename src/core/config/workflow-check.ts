import { compileCondition } from '../contracts/cel.js'
import { checkWorkflow, type WorkflowProblem } from '../workflow/check.js'
import type { Workflow } from '../workflow/types.js'

/**
 * What can be checked of a workflow from macds.yaml alone: its graph (see checkWorkflow) and that
 * every pass_when is a valid CEL condition. Agents are checked once they are loaded.
 */
export function checkWorkflowFile(workflow: Workflow): WorkflowProblem[] {
  const problems = checkWorkflow(workflow)
  workflow.stages.forEach((stage, index) => {
    if (stage.pass_when === undefined) return
    const compiled = compileCondition(stage.pass_when, 'output')
    if (!compiled.ok) {
      problems.push({
        pointer: `/stages/${index}/pass_when`,
        message: `pass_when of stage '${stage.id}' is not a valid condition: ${compiled.problem.message}`,
        hint: "Write a CEL condition over output, such as output.verdict == 'approve'.",
      })
    }
  })
  return problems
}
