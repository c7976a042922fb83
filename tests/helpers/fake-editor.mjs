#!/usr/bin/env node
// An editor for tests: each run applies the next edit from $FAKE_EDITS (a JSON file holding a list of
// [search, replace] pairs) to the file it is given, and records the run in $FAKE_EDITS.runs.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'

const [file] = process.argv.slice(2)
const plan = process.env.FAKE_EDITS
const edits = JSON.parse(readFileSync(plan, 'utf8'))
let runs = 0
try {
  runs = readFileSync(`${plan}.runs`, 'utf8').split('\n').filter(Boolean).length
} catch {
  // first run: no record yet
}
appendFileSync(`${plan}.runs`, `${file}\n`)
const edit = edits[runs]
if (edit === 'fail') process.exit(3)
if (edit) writeFileSync(file, readFileSync(file, 'utf8').replace(edit[0], edit[1]))
