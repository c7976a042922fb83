/** A small valid contract file, to be broken in one place by each test. */
export const SMALL_CONTRACT = `name: sample
version: "1.0.0"
description: A small contract for tests.
input:
  type: object
  properties:
    names:
      type: array
      items: { type: string }
output:
  type: object
  required: [components]
  additionalProperties: false
  properties:
    components:
      type: array
      items:
        type: object
        required: [name, kind]
        additionalProperties: false
        properties:
          name: { type: string, description: the component name }
          kind: { enum: [library, service, cli] }
          optional_note: { type: string }
    summary: { type: string }
validation_rules:
  - id: SMP-001
    severity: error
    condition: "size(output.components) > 0"
    message: Must define at least one component
    suggested_fix: Add at least one component with a name and kind
  - id: SMP-002
    severity: warning
    condition: "has(output.summary)"
    message: A summary helps reviewers
    suggested_fix: Add a one-line summary
  - id: SMP-003
    severity: error
    condition: "input.names.all(n, output.components.exists(c, c.name == n))"
    message: Every name in the input needs a component
    suggested_fix: Add a component for each input name
  - id: SMP-004
    severity: error
    condition: "size(input.names) < 100"
    applies_to: input
    message: At most 99 names
    suggested_fix: Split the request
`
