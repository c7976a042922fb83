/**
 * A fast path for rule conditions: the subset of CEL that rules use (field access, comparisons,
 * logic, size, has, string tests, the list macros, cel.bind, unique, flatten) compiled from the
 * type-checked AST into JavaScript closures. Anything outside the subset returns undefined and the
 * condition runs on the cel-js interpreter instead; a test checks both agree on the shipped rules.
 *
 * Values are plain JSON values. As in cel-js, numbers from data are doubles (JS numbers) and integer
 * literals and sizes are ints (BigInt), so mixing them in arithmetic is an error, as CEL wants, while
 * comparisons and equality across the two work. Errors follow CEL: `&&`, `||`, `all` and
 * `exists` absorb an error when another operand decides the result; otherwise the error is thrown.
 */

import {
  add,
  bool,
  contains,
  equal,
  fail,
  field,
  flattenOnce,
  index,
  isMap,
  isNumber,
  iterable,
  list,
  num,
  regex,
  sizeOf,
  str,
  typeName,
} from './cel-values.js'

/** A CEL AST node as @marcbachmann/cel-js produces it; `start` is its offset in the expression. */
export interface AstNode {
  op: string
  args: unknown
  start: number
}

type Frame = unknown[]
type Eval = (frame: Frame) => unknown

class Unsupported extends Error {}

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
      const fieldName = args[1] as string
      return (f) => field(target(f), fieldName)
    }
    case '[]': {
      const [target, key] = [c(args[0]), c(args[1])]
      return (f) => index(target(f), key(f))
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
    case '*':
    case '/':
    case '%':
      return arithmetic(node.op, c(args[0]), c(args[1]))
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
  if (value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value)) return () => value
  throw new Unsupported()
}

function compileCall(name: string, argNodes: AstNode[], scope: Scope): Eval {
  const [first] = argNodes
  if (argNodes.length !== 1 || !first) throw new Unsupported()
  if (name === 'has') {
    if (first.op !== '.') throw new Unsupported()
    const [targetNode, key] = first.args as [AstNode, string]
    const target = compileNode(targetNode, scope)
    return (f) => {
      const value = target(f)
      if (!isMap(value)) return fail(`has() needs a map, got ${typeName(value)}`)
      return Object.hasOwn(value, key) && value[key] !== undefined
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

type Ordered = number | bigint | string | boolean

const ORDER: Record<string, (x: Ordered, y: Ordered) => boolean> = {
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
}

/** Numbers compare across int and double; strings and bools only with their own kind. */
function comparison(op: string, a: Eval, b: Eval): Eval {
  const test = ORDER[op] as (x: Ordered, y: Ordered) => boolean
  return (f) => {
    const [x, y] = [a(f), b(f)]
    const sameKind = typeof x === typeof y && (typeof x === 'string' || typeof x === 'boolean')
    return (isNumber(x) && isNumber(y)) || sameKind
      ? test(x as Ordered, y as Ordered)
      : fail(`no such overload: ${typeName(x)} ${op} ${typeName(y)}`)
  }
}

/** Arithmetic needs both operands of one kind (int with int, double with double), as in CEL. */
function arithmetic(op: string, a: Eval, b: Eval): Eval {
  return (f) => {
    const [x, y] = [a(f), b(f)]
    if (!isNumber(x) || typeof x !== typeof y)
      return fail(`no such overload: ${typeName(x)} ${op} ${typeName(y)}`)
    if (y === 0n && (op === '/' || op === '%')) return fail('division by zero')
    const [p, q] = [x as number, y as number]
    return op === '-' ? p - q : op === '*' ? p * q : op === '/' ? p / q : p % q
  }
}
