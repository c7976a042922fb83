import { open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const f = join(tmpdir(), `io-${process.pid}`)
const h = await open(f, 'a+')
const buf = Buffer.from(
  '{"v":1,"seq":1,"ts":"2026-01-01T00:00:00.000Z","type":"stage.started","stage":"s1","agent":"a","visit":1}\n',
)
for (let k = 0; k < 3; k++) {
  const n = 5000
  let s = performance.now()
  for (let i = 0; i < n; i++) await h.write(buf, 0, buf.length)
  console.log('awaited write', (((performance.now() - s) * 1000) / n).toFixed(1), 'µs')
  s = performance.now()
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
  console.log('setImmediate hop', (((performance.now() - s) * 1000) / n).toFixed(2), 'µs')
}
let s = performance.now()
for (let i = 0; i < 20; i++) {
  await h.write(buf, 0, buf.length)
  await h.datasync()
}
console.log('write+datasync', ((performance.now() - s) / 20).toFixed(2), 'ms')
await h.close()
await rm(f)
