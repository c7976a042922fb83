import type { Writable } from 'node:stream'

const ENTER = '\x1b[?1049h\x1b[H'
/** Leave the alternate screen and show the cursor again. */
const LEAVE = '\x1b[?25h\x1b[?1049l'

const inside = new WeakSet<Writable>()

/** Switches the terminal to its alternate screen, so that the person's scrollback is left as it was. */
export function enterAlternateScreen(out: Writable): void {
  if (inside.has(out)) return
  inside.add(out)
  out.write(ENTER)
}

/** Back to the normal screen; safe to call more than once, and from an exit handler (it writes synchronously to a TTY). */
export function leaveAlternateScreen(out: Writable): void {
  if (!inside.has(out)) return
  inside.delete(out)
  out.write(LEAVE)
}
