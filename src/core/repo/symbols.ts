import type ts from 'typescript'
import type { RepoSymbol, SymbolKind } from './types.js'
import type { TypeScript } from './typescript.js'

const SCRIPT_KINDS: Record<string, 'TS' | 'TSX' | 'JS' | 'JSX'> = {
  '.ts': 'TS',
  '.mts': 'TS',
  '.cts': 'TS',
  '.tsx': 'TSX',
  '.js': 'JS',
  '.mjs': 'JS',
  '.cjs': 'JS',
  '.jsx': 'JSX',
}

/** Whether a path is a JavaScript or TypeScript file, whose exports the map lists. */
export function isScriptPath(path: string): boolean {
  return scriptKindName(path) !== undefined
}

/**
 * The names a JavaScript or TypeScript module exports, found by parsing it and walking its top-level
 * statements (ES module exports, and the plain CommonJS forms `module.exports =` and `exports.x =`).
 * A file with syntax errors gives what the parser recovered.
 */
export function exportedSymbols(typescript: TypeScript, path: string, text: string): RepoSymbol[] {
  try {
    return walkExports(typescript, path, text)
  } catch {
    return [] // the parser recovers from any text; this guards one file against a parser bug
  }
}

function walkExports(typescript: TypeScript, path: string, text: string): RepoSymbol[] {
  const source = typescript.createSourceFile(
    path,
    text,
    {
      languageVersion: typescript.ScriptTarget.Latest,
      jsDocParsingMode: typescript.JSDocParsingMode.ParseNone,
    },
    false,
    typescript.ScriptKind[scriptKindName(path) ?? 'JS'],
  )
  return new ExportWalker(typescript, source).walk()
}

function scriptKindName(path: string): 'TS' | 'TSX' | 'JS' | 'JSX' | undefined {
  const dot = path.lastIndexOf('.')
  return dot > path.lastIndexOf('/') ? SCRIPT_KINDS[path.slice(dot).toLowerCase()] : undefined
}

/** A local name's kind, or where it was imported from (so that `export { x }` can say what `x` is). */
type Local = { kind: SymbolKind; from?: string }

class ExportWalker {
  private readonly found = new Map<string, RepoSymbol>()
  private locals: Map<string, Local> | undefined

  constructor(
    private readonly ts: TypeScript,
    private readonly source: ts.SourceFile,
  ) {}

  walk(): RepoSymbol[] {
    for (const statement of this.source.statements) this.statement(statement)
    return [...this.found.values()]
  }

  private add(name: string, kind: SymbolKind, from?: string): void {
    const symbol: RepoSymbol = from === undefined ? { name, kind } : { name, kind, from }
    this.found.set(`${kind}\0${name}\0${from ?? ''}`, symbol) // overloads and merged declarations once
  }

  private statement(node: ts.Statement): void {
    const ts = this.ts
    if (ts.isExportDeclaration(node)) return this.exportDeclaration(node)
    if (ts.isExportAssignment(node)) return this.add(identifierText(ts, node.expression), 'default')
    if (ts.isExpressionStatement(node)) return this.commonJsExport(node.expression)
    const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    if (ts.isVariableStatement(node)) {
      const kind = node.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'variable'
      for (const declaration of node.declarationList.declarations)
        for (const name of bindingNames(ts, declaration.name)) this.add(name, kind)
      return
    }
    const declared = declarationOf(ts, node)
    if (declared === undefined) return
    if (isDefault) this.add(declared.name ?? 'default', 'default')
    else if (declared.name !== undefined) this.add(declared.name, declared.kind)
  }

  private exportDeclaration(node: ts.ExportDeclaration): void {
    const ts = this.ts
    const from =
      node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined
    const clause = node.exportClause
    if (clause === undefined) return this.add('*', 're-export', from)
    if (ts.isNamespaceExport(clause)) return this.add(clause.name.text, 're-export', from)
    for (const element of clause.elements) {
      const exported = element.name.text
      const local = (element.propertyName ?? element.name).text
      if (node.moduleSpecifier !== undefined) this.add(exported, 're-export', from)
      else if (exported === 'default') this.add(local, 'default')
      else {
        const known = this.localNames().get(local)
        this.add(exported, known?.kind ?? 'variable', known?.from)
      }
    }
  }

  /** `module.exports = x`, `module.exports.name = x` and `exports.name = x`. */
  private commonJsExport(expression: ts.Expression): void {
    const ts = this.ts
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
      return
    const target = expression.left
    if (!ts.isPropertyAccessExpression(target)) return
    const owner = target.expression
    const name = target.name.text
    const kind = expressionKind(ts, expression.right)
    if (ts.isIdentifier(owner) && owner.text === 'module' && name === 'exports')
      this.add(identifierText(ts, expression.right), 'default')
    else if (ts.isIdentifier(owner) && owner.text === 'exports') this.add(name, kind)
    else if (
      ts.isPropertyAccessExpression(owner) &&
      ts.isIdentifier(owner.expression) &&
      owner.expression.text === 'module' &&
      owner.name.text === 'exports'
    )
      this.add(name, kind)
  }

  /** Top-level declarations and imports by local name; built once, when `export { x }` needs it. */
  private localNames(): Map<string, Local> {
    if (this.locals !== undefined) return this.locals
    const ts = this.ts
    const locals = new Map<string, Local>()
    for (const node of this.source.statements) {
      if (ts.isVariableStatement(node)) {
        const kind = node.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'variable'
        for (const declaration of node.declarationList.declarations)
          for (const name of bindingNames(ts, declaration.name)) locals.set(name, { kind })
      } else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const from = node.moduleSpecifier.text
        const clause = node.importClause
        if (clause?.name) locals.set(clause.name.text, { kind: 're-export', from })
        const bindings = clause?.namedBindings
        if (bindings && ts.isNamespaceImport(bindings))
          locals.set(bindings.name.text, { kind: 're-export', from })
        else if (bindings)
          for (const element of bindings.elements) locals.set(element.name.text, { kind: 're-export', from })
      } else {
        const declared = declarationOf(ts, node)
        if (declared?.name !== undefined && !locals.has(declared.name))
          locals.set(declared.name, { kind: declared.kind })
      }
    }
    this.locals = locals
    return locals
  }
}

/** The name and kind of a function, class, interface, type, enum or namespace declaration. */
function declarationOf(ts: TypeScript, node: ts.Statement): { name?: string; kind: SymbolKind } | undefined {
  if (ts.isFunctionDeclaration(node)) return { name: node.name?.text, kind: 'function' }
  if (ts.isClassDeclaration(node)) return { name: node.name?.text, kind: 'class' }
  if (ts.isInterfaceDeclaration(node)) return { name: node.name.text, kind: 'interface' }
  if (ts.isTypeAliasDeclaration(node)) return { name: node.name.text, kind: 'type' }
  if (ts.isEnumDeclaration(node)) return { name: node.name.text, kind: 'enum' }
  if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name))
    return { name: node.name.text, kind: 'namespace' }
  if (ts.isImportEqualsDeclaration(node)) return { name: node.name.text, kind: 'variable' }
  return undefined
}

/** The names a declaration binds: `a`, or every name in `{ a, b: [c, ...d] }`. */
function bindingNames(ts: TypeScript, name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text]
  const names: string[] = []
  for (const element of name.elements)
    if (!ts.isOmittedExpression(element)) names.push(...bindingNames(ts, element.name))
  return names
}

function identifierText(ts: TypeScript, expression: ts.Expression): string {
  return ts.isIdentifier(expression) ? expression.text : 'default'
}

function expressionKind(ts: TypeScript, expression: ts.Expression): SymbolKind {
  if (ts.isFunctionExpression(expression) || ts.isArrowFunction(expression)) return 'function'
  if (ts.isClassExpression(expression)) return 'class'
  return 'variable'
}
