import type { ArtifactName } from '../artifacts/names.js'

/**
 * The first text of the six artifacts of a new repository: short skeletons that name the agent that
 * owns each one and say what belongs in it. Agents replace them as runs go; a person may fill them in
 * first.
 */
export function artifactTemplates(project: string): Record<ArtifactName, string> {
  return {
    'REQUIREMENTS.md': `# REQUIREMENTS — ${project}

Owner: product. Only the product agent changes this file; each change is its own commit.

Numbered requirements (REQ-1, REQ-2, ...) with testable acceptance criteria. Every later stage cites
them by id, and final approval checks them.

Priority: **must** (the request fails without it), **should**, **could**.

## Requirements

None yet. The first \`macds run "<requirement>"\` adds them.

## Out of scope
`,
    'ARCHITECTURE.md': `# ARCHITECTURE — ${project}

Owner: architect. Only the architect agent changes this file; each change is its own commit.

How the system is built: its components, what each is responsible for, how they depend on each
other, and the invariants every change must preserve.

## Components

None described yet. The architect fills this in at the architecture stage of the first run.

## Invariants
`,
    'DESIGN_DECISIONS.log': `# DESIGN_DECISIONS.log — owner: architect. Append-only: add new entries at the end; never edit or
# delete an entry. A decision that changes gets a new entry that names the one it supersedes.
# Rulings on conflicts between agents are recorded here too.
#
# Entry format:
# [YYYY-MM-DD] ADR-<n> <title>
# Decision: what was decided.
# Reason: why.
# Alternatives: what else was considered and why not.
`,
    'API_CONTRACTS.yaml': `# API_CONTRACTS.yaml — owner: architect. Only the architect agent changes this file.
# The interfaces that users, scripts and other components rely on: commands, HTTP endpoints, library
# functions, file formats, events. A change to an entry goes with an entry in DESIGN_DECISIONS.log.
#
# An entry, for example:
#   - name: POST /login
#     kind: http
#     description: Signs a user in.
#     request: { body: { username: string, password: string } }
#     responses: { "200": "a session token", "429": "too many attempts; Retry-After says when to retry" }
#     stability: stable
version: 1
interfaces: []
`,
    'CODING_STANDARDS.md': `# CODING_STANDARDS — ${project}

Owner: reviewer. Only the reviewer agent changes this file; review checks every change against it.

The standards the code follows, each with its reason; name the tool that enforces a rule where one
does (the commands are in \`pipeline:\` of macds.yaml).

## Standards

- Follow the style of the surrounding code.
- Every change comes with tests of the behaviour it adds or fixes.
- No secrets (keys, tokens, passwords) in code, tests or logs.
`,
    'RISK_REGISTER.md': `# RISK_REGISTER — ${project}

Owner: product. Only the product agent changes this file; each change is its own commit.

What could go wrong (RISK-1, RISK-2, ...), its likelihood and impact (low, medium, high), the
mitigation, and the requirements it threatens.

| id | risk | likelihood | impact | mitigation | requirements |
|---|---|---|---|---|---|
`,
  }
}
