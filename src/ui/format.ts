/** Formats a duration for the screen: `850ms`, `4.2s`, `1m05s`, `2h03m`. */
export function duration(ms: number): string {
  const safe = Math.max(0, Math.floor(ms))
  if (safe < 1000) return `${safe}ms`
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`
  const s = Math.floor(safe / 1000)
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/** Tokens in short: `950`, `12.3k`, `1.2M`. */
export function tokens(n: number): string {
  if (n < 1000) return String(n)
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`
  return `${(n / 1_000_000).toFixed(1)}M`
}

/** Cuts text to `width` characters, with an ellipsis when it was longer. */
export function fit(text: string, width: number): string {
  if (width <= 0) return ''
  const chars = [...text]
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`
}
