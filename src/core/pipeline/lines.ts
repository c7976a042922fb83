import { StringDecoder } from 'node:string_decoder'
import { Transform, type TransformCallback } from 'node:stream'

/** A line longer than this is cut into pieces, so one endless line cannot fill the memory. */
const MAX_LINE = 64 * 1024

/**
 * A stream that cuts a command's output into lines, passes each (redacted) to `onLine`, and lets
 * the redacted text through, for the log file. Only the current unfinished line is held in memory.
 */
export class LineSplitter extends Transform {
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''

  constructor(
    private readonly redact: (text: string) => string,
    private readonly onLine: (line: string) => void,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.partial + this.decoder.write(chunk)
    const out: string[] = []
    let start = 0
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      out.push(this.line(text.slice(start, newline), true))
      start = newline + 1
    }
    let rest = text.slice(start)
    while (rest.length > MAX_LINE) {
      out.push(this.line(rest.slice(0, MAX_LINE), false))
      rest = rest.slice(MAX_LINE)
    }
    this.partial = rest
    done(null, out.length > 0 ? out.join('') : undefined)
  }

  override _flush(done: TransformCallback): void {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    done(null, rest === '' ? undefined : this.line(rest, false))
  }

  /** Redacts one line, hands it to `onLine` and returns its text for the log. */
  private line(raw: string, newline: boolean): string {
    const line = this.redact(raw)
    this.onLine(line)
    return newline ? `${line}\n` : line
  }
}
