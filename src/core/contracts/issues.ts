import { locate, type Position, type SourceMap, sourceMapOf } from './positions.js'
import type { ContractIssue, IssueCode } from './types.js'

/**
 * Builds the issues of one contract file. The position-keeping YAML parse is costly, so it runs
 * the first time an issue needs a position, and never for a valid file.
 */
export class IssueList {
  readonly items: ContractIssue[] = []
  private map: SourceMap | undefined

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  /** The file parsed with positions. */
  source(): SourceMap {
    this.map ??= sourceMapOf(this.text)
    return this.map
  }

  /** Adds an issue at a known position. */
  addAt(code: IssueCode, position: Position, message: string, extra: Partial<ContractIssue> = {}): void {
    this.items.push({ file: this.file, line: position.line, col: position.col, code, message, ...extra })
  }

  /** Adds an issue at the node a JSON pointer names (or the deepest node of it that exists). */
  add(code: IssueCode, pointer: string, message: string, extra: Partial<ContractIssue> = {}): void {
    this.addAt(code, locate(this.source(), pointer), message, { pointer, ...extra })
  }
}
