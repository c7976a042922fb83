import { Environment } from '@marcbachmann/cel-js'
import { type AstNode, compileFast } from './cel-fast.js'
import { flattenOnce } from './cel-values.js'
import type { ContractPart } from './types.js'

/** Caps checked when a contract loads, so that no rule can exhaust the stack or the CPU. */
export const CEL_LIMITS = { maxLength: 2000, maxAstNodes: 300, maxDepth: 32 } as const

/** A field access rooted at `input` or `output`, such as `output.components`. */
export interface FieldPath {
  root: ContractPart
  fields: string[]
  /** Offset of the access in the expression. */
  start: number
}

/** A rule condition parsed, type-checked and ready to evaluate many times. */
export interface CompiledCondition {
  evaluate: (context: Record<string, unknown>) => unknown
  readsInput: boolean
  paths: FieldPath[]
}

export interface CelProblem {
  code: 'CEL_SYNTAX' | 'CEL_TYPE' | 'CEL_LIMIT'
  message: string
  /** Offset in the expression where the problem is. */
  offset: number
}

const environments = new Map<ContractPart, Environment>()

/**
 * Output rules see `input` and `output`; input rules see only `input`. Environments are costly: one each.
 * Besides standard CEL, rules may use `list.unique()` and `list.flatten()`, which keep checks that would
 * otherwise need nested comprehensions linear.
 */
function environmentFor(part: ContractPart): Environment {
  let env = environments.get(part)
  if (!env) {
    env = new Environment({
      limits: { maxAstNodes: CEL_LIMITS.maxAstNodes, maxDepth: CEL_LIMITS.maxDepth },
    })
      .registerVariable('input', 'map')
      .registerFunction({
        name: 'unique',
        receiverType: 'list',
        returnType: 'bool',
        params: [],
        description: 'true when no element appears twice: `output.items.map(i, i.id).unique()`',
        handler: (list: unknown[]) => new Set(list).size === list.length,
      })
      .registerFunction({
        name: 'flatten',
        receiverType: 'list',
        returnType: 'list',
        params: [],
        description:
          'the elements of a list of lists, one level deep: `output.tasks.map(t, t.files).flatten()`',
        handler: flattenOnce,
      })
    if (part === 'output') env.registerVariable('output', 'map')
    environments.set(part, env)
  }
  return env
}

/** Parses and type-checks a condition; a problem is returned as data, never thrown. */
export function compileCondition(
  expression: string,
  part: ContractPart,
): { ok: true; condition: CompiledCondition } | { ok: false; problem: CelProblem } {
  if (expression.length > CEL_LIMITS.maxLength) {
    const message = `condition is ${expression.length} characters long; the limit is ${CEL_LIMITS.maxLength}`
    return { ok: false, problem: { code: 'CEL_LIMIT', message, offset: 0 } }
  }
  const env = environmentFor(part)
  let parsed: ReturnType<Environment['parse']>
  try {
    parsed = env.parse(expression)
  } catch (error) {
    return { ok: false, problem: problemFrom(error, 'CEL_SYNTAX') }
  }
  const checked = parsed.check()
  if (!checked.valid) return { ok: false, problem: problemFrom(checked.error, 'CEL_TYPE') }
  const type = String(checked.type)
  if (type !== 'bool' && type !== 'dyn') {
    const message = `condition must be a boolean, but it gives ${type}`
    return { ok: false, problem: { code: 'CEL_TYPE', message, offset: 0 } }
  }
  const ast = parsed.ast as unknown as AstNode
  const evaluate = compileFast(ast) ?? ((context) => parsed(context))
  return { ok: true, condition: { evaluate, readsInput: mentions(ast, 'input'), paths: fieldPaths(ast) } }
}

/**
 * The cel-js interpreter's evaluation of a condition that compiles, bypassing the fast path.
 * The fast path must agree with it; tests compare the two.
 */
export function interpretCondition(
  expression: string,
  part: ContractPart,
): (context: Record<string, unknown>) => unknown {
  const parsed = environmentFor(part).parse(expression)
  return (context) => parsed(context)
}

/** Extracts a one-line message and an offset from a cel-js error. */
function problemFrom(error: unknown, fallback: CelProblem['code']): CelProblem {
  const e = error as { message?: string; code?: string; range?: { start?: number } }
  const firstLine = (e.message ?? String(error)).split('\n')[0] ?? ''
  const code = e.code === 'limit_exceeded' ? 'CEL_LIMIT' : fallback
  return { code, message: firstLine.trim(), offset: e.range?.start ?? 0 }
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value
}

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = []
  const visit = (value: unknown): void => {
    if (isNode(value)) out.push(value)
    else if (Array.isArray(value)) for (const item of value) visit(item)
  }
  visit(node.args)
  return out
}

function mentions(node: AstNode, name: string): boolean {
  if (node.op === 'id' && node.args === name) return true
  return children(node).some((child) => mentions(child, name))
}

/** The longest static field chains rooted at `input` or `output` (`output.a.b`, not `x.a` inside a macro). */
export function fieldPaths(node: AstNode): FieldPath[] {
  const chain = staticChain(node)
  if (chain) return [chain]
  return children(node).flatMap(fieldPaths)
}

function staticChain(node: AstNode): FieldPath | undefined {
  if (node.op === 'id' && (node.args === 'input' || node.args === 'output')) {
    return { root: node.args, fields: [], start: node.start }
  }
  if ((node.op === '.' || node.op === '.?') && Array.isArray(node.args)) {
    const [target, field] = node.args as [unknown, unknown]
    if (!isNode(target) || typeof field !== 'string') return undefined
    const inner = staticChain(target)
    return inner ? { ...inner, fields: [...inner.fields, field] } : undefined
  }
  return undefined
}
