/**
 * A fast path for rule conditions: the subset of CEL that rules use (field access, comparisons,
 * logic, size, has, string tests, the list macros, cel.bind, unique, flatten) compiled from the
 * type-checked AST into JavaScript closures. Anything outside the subset returns undefined and the
 * condition runs on the cel-js interpreter instead; a test checks both agree on the shipped rules.
 *
 * Values are plain JSON values; numbers are JS numbers. Errors follow CEL: `&&`, `||`, `all` and
 * `exists` absorb an error when another operand decides the result; otherwise the error is thrown.
 */

/** A CEL AST node as @marcbachmann/cel-js produces it. */
export interface AstNode {
  op: string
  args: unknown
}

type Frame = unknown[]
type Eval = (frame: Frame) => unknown

/** Thrown when an expression cannot be evaluated on a value (a missing key, a wrong type). */
export class CelRuntimeError extends Error {}

class Unsupported extends Error {}

const fail = (message: string): never => {
  throw new CelRuntimeError(message)
}

/**
 * Compiles `ast` for variables `input` and `output`; returns undefined when the expression uses
 * something outside the supported subset.
 */
export function compileFast(ast: AstNode): ((context: Record<string, unknown>) => unknown) | undefined {
  const slots = new Map<string, number>([
    ['input', 0],
    ['output', 1],
  ])
  let size = 2
  const bind = (name: string): [number, () => void] => {
    const previous = slots.get(name)
    const slot = size++
    slots.set(name, slot)
    return [slot, () => (previous === undefined ? slots.delete(name) : slots.set(name, previous))]
  }
  let root: Eval
  try {
    root = compileNode(ast, { slots, bind })
  } catch {
    // Outside the subset (or, say, a literal regular expression that does not compile): interpret.
    return undefined
  }
  return (context) => {
    const frame: Frame = new Array(size)
    frame[0] = context.input
    frame[1] = context.output
    return root(frame)
  }
}

interface Scope {
  slots: Map<string, number>
  bind: (name: string) => [number, () => void]
}

function compileNode(node: AstNode, scope: Scope): Eval {
  const c = (n: unknown) => compileNode(n as AstNode, scope)
  const args = node.args as unknown[]
  switch (node.op) {
    case 'value':
      return literal(node.args)
    case 'id': {
      const slot = scope.slots.get(node.args as string)
      if (slot === undefined) throw new Unsupported()
      return (f) => f[slot]
    }
    case '.': {
      const target = c(args[0])
      const field = args[1] as string
      return (f) => field_(target(f), field)
    }
    case '[]': {
      const [target, index] = [c(args[0]), c(args[1])]
      return (f) => index_(target(f), index(f))
    }
    case 'list': {
      const items = args.map(c)
      return (f) => items.map((item) => item(f))
    }
    case 'map': {
      const entries = (args as [AstNode, AstNode][]).map(([k, v]) => {
        if (k.op !== 'value' || typeof k.args !== 'string') throw new Unsupported()
        return [k.args, c(v)] as const
      })
      return (f) => Object.fromEntries(entries.map(([k, v]) => [k, v(f)]))
    }
    case '!_': {
      const operand = c(node.args)
      return (f) => !bool(operand(f))
    }
    case '-_': {
      const operand = c(node.args)
      return (f) => -num(operand(f))
    }
    case '&&':
      return logical(c(args[0]), c(args[1]), false)
    case '||':
      return logical(c(args[0]), c(args[1]), true)
    case '?:': {
      const [test, yes, no] = args.map(c) as [Eval, Eval, Eval]
      return (f) => (bool(test(f)) ? yes(f) : no(f))
    }
    case '==':
    case '!=': {
      const [a, b] = [c(args[0]), c(args[1])]
      const negate = node.op === '!='
      return (f) => equal(a(f), b(f)) !== negate
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(node.op, c(args[0]), c(args[1]))
    case '+': {
      const [a, b] = [c(args[0]), c(args[1])]
      return (f) => add(a(f), b(f))
    }
    case '-':
    case '*': {
      const [a, b] = [c(args[0]), c(args[1])]
      return node.op === '-' ? (f) => num(a(f)) - num(b(f)) : (f) => num(a(f)) * num(b(f))
    }
    case 'in': {
      const [a, b] = [c(args[0]), c(args[1])]
      return (f) => contains(b(f), a(f))
    }
    case 'call':
      return compileCall(args[0] as string, args[1] as AstNode[], scope)
    case 'rcall':
      return compileMethod(args[0] as string, args[1] as AstNode, args[2] as AstNode[], scope)
    default:
      throw new Unsupported()
  }
}

function literal(value: unknown): Eval {
  if (typeof value === 'bigint') {
    const n = Number(value)
    return () => n
  }
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return () => value
  throw new Unsupported()
}

function compileCall(name: string, argNodes: AstNode[], scope: Scope): Eval {
  const [first] = argNodes
  if (argNodes.length !== 1 || !first) throw new Unsupported()
  if (name === 'has') {
    if (first.op !== '.') throw new Unsupported()
    const [targetNode, field] = first.args as [AstNode, string]
    const target = compileNode(targetNode, scope)
    return (f) => {
      const value = target(f)
      if (!isMap(value)) return fail(`has() needs a map, got ${typeName(value)}`)
      return Object.hasOwn(value, field) && value[field] !== undefined
    }
  }
  const arg = compileNode(first, scope)
  if (name === 'size') return (f) => sizeOf(arg(f))
  if (name === 'dyn') return arg
  throw new Unsupported()
}

const STRING_TESTS: Record<string, (s: string, arg: string) => boolean> = {
  startsWith: (s, arg) => s.startsWith(arg),
  endsWith: (s, arg) => s.endsWith(arg),
  contains: (s, arg) => s.includes(arg),
}

function compileMethod(name: string, receiverNode: AstNode, argNodes: AstNode[], scope: Scope): Eval {
  if (name === 'bind' && receiverNode.op === 'id' && receiverNode.args === 'cel')
    return compileBind(argNodes, scope)
  if (['all', 'exists', 'exists_one', 'map', 'filter'].includes(name))
    return compileMacro(name, receiverNode, argNodes, scope)
  const receiver = compileNode(receiverNode, scope)
  const args = argNodes.map((n) => compileNode(n, scope))
  if (args.length === 0) {
    if (name === 'size') return (f) => sizeOf(receiver(f))
    if (name === 'unique')
      return (f) => {
        const items = list(receiver(f))
        return new Set(items).size === items.length
      }
    if (name === 'flatten') return (f) => flattenOnce(list(receiver(f)))
  }
  const [arg] = args
  if (args.length === 1 && arg) {
    const test = STRING_TESTS[name]
    if (test) return (f) => test(str(receiver(f)), str(arg(f)))
    if (name === 'matches') {
      const literal =
        argNodes[0]?.op === 'value' && typeof argNodes[0].args === 'string' ? argNodes[0].args : undefined
      const pattern = literal === undefined ? undefined : regex(literal)
      return (f) => (pattern ?? regex(str(arg(f)))).test(str(receiver(f)))
    }
  }
  throw new Unsupported()
}

function compileBind(argNodes: AstNode[], scope: Scope): Eval {
  const [nameNode, initNode, bodyNode] = argNodes
  if (!nameNode || !initNode || !bodyNode || nameNode.op !== 'id') throw new Unsupported()
  const init = compileNode(initNode, scope)
  const [slot, restore] = scope.bind(nameNode.args as string)
  const body = compileNode(bodyNode, scope)
  restore()
  return (f) => {
    f[slot] = init(f)
    return body(f)
  }
}

function compileMacro(name: string, receiverNode: AstNode, argNodes: AstNode[], scope: Scope): Eval {
  const receiver = compileNode(receiverNode, scope)
  const [varNode, ...bodyNodes] = argNodes
  if (varNode?.op !== 'id' || bodyNodes.length === 0) throw new Unsupported()
  const [slot, restore] = scope.bind(varNode.args as string)
  const bodies = bodyNodes.map((n) => compileNode(n, scope))
  restore()
  const [first, second] = bodies as [Eval, Eval | undefined]
  const items = (f: Frame) => iterable(receiver(f))
  switch (name) {
    case 'all':
    case 'exists': {
      const decisive = name === 'exists'
      return (f) => {
        let error: unknown
        for (const item of items(f)) {
          f[slot] = item
          try {
            if (bool(first(f)) === decisive) return decisive
          } catch (e) {
            error ??= e
          }
        }
        if (error !== undefined) throw error
        return !decisive
      }
    }
    case 'exists_one':
      return (f) => {
        let count = 0
        for (const item of items(f)) {
          f[slot] = item
          if (bool(first(f))) count++
        }
        return count === 1
      }
    case 'filter':
      return (f) =>
        items(f).filter((item) => {
          f[slot] = item
          return bool(first(f))
        })
    case 'map':
      return (f) => {
        const out: unknown[] = []
        for (const item of items(f)) {
          f[slot] = item
          if (!second) out.push(first(f))
          else if (bool(first(f))) out.push(second(f))
        }
        return out
      }
    default:
      throw new Unsupported()
  }
}

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern)
  } catch (error) {
    return fail(`invalid regular expression: ${(error as Error).message}`)
  }
}

function logical(a: Eval, b: Eval, decisive: boolean): Eval {
  return (f) => {
    let left: unknown
    let error: unknown
    try {
      left = bool(a(f))
      if (left === decisive) return decisive
    } catch (e) {
      error = e
    }
    if (bool(b(f)) === decisive) return decisive
    if (error !== undefined) throw error
    return !decisive
  }
}

function comparison(op: string, a: Eval, b: Eval): Eval {
  const test = {
    '<': (x: number) => x < 0,
    '<=': (x: number) => x <= 0,
    '>': (x: number) => x > 0,
    '>=': (x: number) => x >= 0,
  }[op as '<']
  return (f) => {
    const [x, y] = [a(f), b(f)]
    if (typeof x === 'number' && typeof y === 'number') return test(x - y)
    if (typeof x === 'string' && typeof y === 'string') return test(x < y ? -1 : x > y ? 1 : 0)
    if (typeof x === 'boolean' && typeof y === 'boolean') return test(Number(x) - Number(y))
    return fail(`no such overload: ${typeName(x)} ${op} ${typeName(y)}`)
  }
}

function field_(value: unknown, field: string): unknown {
  if (!isMap(value)) return fail(`cannot select field '${field}' from ${typeName(value)}`)
  if (!Object.hasOwn(value, field) || value[field] === undefined) return fail(`No such key: ${field}`)
  return value[field]
}

function index_(value: unknown, key: unknown): unknown {
  if (Array.isArray(value)) {
    if (typeof key !== 'number' || !Number.isInteger(key))
      return fail(`list index must be an integer, got ${typeName(key)}`)
    if (key < 0 || key >= value.length) return fail(`index out of bounds: ${key}`)
    return value[key]
  }
  if (isMap(value) && typeof key === 'string') return field_(value, key)
  return fail(`cannot index ${typeName(value)} with ${typeName(key)}`)
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b
  if (typeof a === 'string' && typeof b === 'string') return a + b
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b]
  return fail(`no such overload: ${typeName(a)} + ${typeName(b)}`)
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) {
    for (const element of container) if (equal(element, item)) return true
    return false
  }
  if (isMap(container)) return typeof item === 'string' && Object.hasOwn(container, item)
  return fail(`no such overload: ${typeName(item)} in ${typeName(container)}`)
}

/** The elements of a list of lists, one level deep (Array.prototype.flat is several times slower). */
export function flattenOnce(items: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  for (const item of items) {
    if (Array.isArray(item)) for (const inner of item) out.push(inner)
    else out.push(item)
  }
  return out
}

/** CEL equality over JSON values: deep for lists and maps, false across types. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]))
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
    )
  }
  return false
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') {
    let n = 0
    for (const _ of value) n++
    return n
  }
  if (Array.isArray(value)) return value.length
  if (isMap(value)) return Object.keys(value).length
  return fail(`found no matching overload for 'size(${typeName(value)})'`)
}

function iterable(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (isMap(value)) return Object.keys(value)
  return fail(`cannot iterate over ${typeName(value)}`)
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function bool(value: unknown): boolean {
  return typeof value === 'boolean' ? value : fail(`expected a bool, got ${typeName(value)}`)
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : fail(`expected a number, got ${typeName(value)}`)
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : fail(`expected a string, got ${typeName(value)}`)
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : fail(`expected a list, got ${typeName(value)}`)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return 'map'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double'
  return typeof value === 'boolean' ? 'bool' : typeof value
}
