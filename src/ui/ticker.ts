import { useEffect, useState } from 'react'

/**
 * The time, renewed every `ms` while `ms` is set; with no interval nothing ticks, so an idle screen
 * costs no CPU.
 */
export function useTicker(ms: number | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (ms === undefined) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}
