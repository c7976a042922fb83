/** How much a violation matters: only `error` blocks progression. */
export type Severity = 'error' | 'warning' | 'info'

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']

/** Which value a rule or schema checks. Output rules also see the input. */
export type ContractPart = 'input' | 'output'

/**
 * One problem found in a value checked against a contract. Schema problems have rule_id `SCHEMA`;
 * `location` is a JSON pointer into the checked value ('' is the whole value).
 */
export interface Violation {
  rule_id: string
  severity: Severity
  message: string
  location: string
  suggested_fix: string
}

/** A validation rule as written in a contract file. */
export interface ContractRule {
  id: string
  severity: Severity
  condition: string
  message: string
  suggested_fix: string
  applies_to: ContractPart
  /** JSON pointer reported with a violation; by default the first field the condition reads. */
  location?: string
  description?: string
}

/** A contract file's content once its shape is known to be right. */
export interface ContractDefinition {
  name: string
  version: string
  description?: string
  input: Record<string, unknown>
  output: Record<string, unknown>
  validation_rules: ContractRule[]
}

/** What kind of problem a file macds reads has; stable, shown in `--json` output. */
export type IssueCode =
  | 'READ_FAILED'
  | 'YAML_SYNTAX'
  | 'CONTRACT_SHAPE'
  | 'AGENT_SHAPE'
  | 'CONFIG_SHAPE'
  | 'SCRIPT_SHAPE'
  | 'AGENT_PROMPT'
  | 'UNKNOWN_CONTRACT'
  | 'UNKNOWN_MODEL'
  | 'NAME_MISMATCH'
  | 'DUPLICATE_RULE'
  | 'SCHEMA_INVALID'
  | 'CEL_SYNTAX'
  | 'CEL_TYPE'
  | 'CEL_LIMIT'
  | 'CEL_FIELD'

/**
 * A problem in a file macds reads (a contract, an agent definition, macds.yaml, a script), with a
 * position a person can jump to. Line and column are 1-based.
 */
export interface ContractIssue {
  file: string
  line: number
  col: number
  code: IssueCode
  message: string
  /** JSON pointer into the contract file, when the problem is at a node. */
  pointer?: string
  /** The rule the problem is in, when there is one. */
  rule_id?: string
  hint?: string
}

/** The same shape serves every file macds reads; this name reads better outside contracts. */
export type FileIssue = ContractIssue

/** The outcome of checking one value: violations, and whether any of them blocks. */
export interface ValidationResult<T> {
  ok: boolean
  violations: Violation[]
  value: T
}
