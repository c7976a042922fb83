import { EDGE_STYLE, type Row, type Segment } from './label.js'

/** Directions a connector leaves a cell by; a cell's directions pick its box character. */
export const UP = 1
export const DOWN = 2
export const LEFT = 4
export const RIGHT = 8

const BOX: Record<number, string> = {
  [UP]: '│',
  [DOWN]: '│',
  [UP | DOWN]: '│',
  [LEFT]: '─',
  [RIGHT]: '─',
  [LEFT | RIGHT]: '─',
  [DOWN | RIGHT]: '┌',
  [DOWN | LEFT]: '┐',
  [UP | RIGHT]: '└',
  [UP | LEFT]: '┘',
  [LEFT | RIGHT | DOWN]: '┬',
  [LEFT | RIGHT | UP]: '┴',
  [UP | DOWN | RIGHT]: '├',
  [UP | DOWN | LEFT]: '┤',
  [UP | DOWN | LEFT | RIGHT]: '┼',
}

interface Cell {
  text: string
  style: Omit<Segment, 'text'>
  links: number
}

/** A fixed grid of cells where text is written and connectors merge into box characters. */
export interface Canvas {
  width: number
  cells: Cell[][]
}

/** A blank canvas of `height` rows and `width` columns. */
export function createCanvas(height: number, width: number): Canvas {
  const blank = (): Cell => ({ text: ' ', style: {}, links: 0 })
  return { width, cells: Array.from({ length: height }, () => Array.from({ length: width }, blank)) }
}

/** Writes a row of segments from column `x`; whatever would pass the right edge is dropped. */
export function write(canvas: Canvas, y: number, x: number, row: Row): void {
  const line = canvas.cells[y]
  if (!line) return
  let at = x
  for (const { text, ...style } of row)
    for (const char of text) {
      const cell = line[at++]
      if (cell) Object.assign(cell, { text: char, style, links: 0 })
    }
}

/** Adds connector directions to a cell; the cell shows the box character of all it has been given. */
export function link(canvas: Canvas, y: number, x: number, directions: number): void {
  const cell = canvas.cells[y]?.[x]
  if (!cell) return
  cell.links |= directions
  cell.text = BOX[cell.links] ?? '┼'
  cell.style = EDGE_STYLE
}

/** A horizontal connector over columns `from` to `to`, both included. */
export function hline(canvas: Canvas, y: number, from: number, to: number): void {
  for (let x = from; x <= to; x++) link(canvas, y, x, LEFT | RIGHT)
}

/** A vertical connector in column `x` from row `top` to row `bottom`, open at neither end. */
export function vline(canvas: Canvas, x: number, top: number, bottom: number): void {
  for (let y = top; y <= bottom; y++) link(canvas, y, x, (y > top ? UP : 0) | (y < bottom ? DOWN : 0))
}

/** The canvas as rows of segments, cells of one style merged, trailing blanks and blank rows dropped. */
export function toRows(canvas: Canvas): Row[] {
  const rows = canvas.cells.map((line) => {
    const row: Row = []
    for (const cell of line) {
      const last = row.at(-1)
      if (last && sameStyle(last, cell.style)) last.text += cell.text
      else row.push({ text: cell.text, ...cell.style })
    }
    return trimEnd(row)
  })
  while (rows.length > 0 && rows.at(-1)?.length === 0) rows.pop()
  return rows
}

function sameStyle(a: Segment, b: Omit<Segment, 'text'>): boolean {
  return a.color === b.color && a.bold === b.bold && a.dim === b.dim
}

function trimEnd(row: Row): Row {
  while (row.length > 0) {
    const last = row.at(-1)
    if (!last) break
    const text = last.text.trimEnd()
    if (text) {
      last.text = text
      break
    }
    row.pop()
  }
  return row
}
