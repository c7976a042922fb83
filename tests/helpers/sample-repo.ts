import { cp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { repoRoot } from './cli.js'
import { sh } from './git-repo.js'
import { fixtureOutput, passingOutputs, STAGE_AGENTS, stepsFor, type Step } from './run-project.js'
import { tempDir } from './temp.js'

type Json = Record<string, unknown>

/** Runs git in `cwd` (the sample's repository, or a worktree of it); returns its trimmed stdout. */
export const gitIn = sh

export const PIPELINE = 'pipeline:\n  test: { command: [node, --test], timeout_seconds: 60 }\n'

/**
 * A git repository (branch main, one commit) holding the sample app (a node:test suite), the shipped
 * contracts and agents, macds.yaml with the sample's pipeline (plus `config`), and the given script;
 * `edit` changes the files before the commit.
 */
export async function sampleRepo(
  steps: Step[],
  options: { config?: string; edit?: (root: string) => Promise<void> } = {},
): Promise<string> {
  const root = await tempDir('macds-git-')
  await cp(join(repoRoot, 'tests/fixtures/sample-app'), root, { recursive: true })
  await cp(join(repoRoot, 'contracts'), join(root, 'contracts'), { recursive: true })
  await cp(join(repoRoot, 'agents'), join(root, 'agents'), { recursive: true })
  await writeFile(
    join(root, 'macds.yaml'),
    `version: 1\nprovider: scripted\nscript: script.yaml\n${PIPELINE}${options.config ?? ''}`,
  )
  await writeFile(join(root, '.gitignore'), '.macds/\nmemory/working*\nmemory/failure*\nscript.yaml\n')
  await writeFile(join(root, 'script.yaml'), stringify({ version: 1, steps }))
  await options.edit?.(root)
  sh(root, 'init', '-q', '-b', 'main')
  sh(root, 'config', 'user.name', 'Test Person')
  sh(root, 'config', 'user.email', 'person@example.com')
  sh(root, 'add', '-A')
  sh(root, 'commit', '-q', '-m', 'Initial commit')
  return root
}

/** A ChangeSet for the sample app: a farewell function and its test, with `body` as the function's body. */
export function farewellChangeSet(body = 'return `Goodbye, ${name}!`'): Json {
  return {
    intent: 'Add a farewell function',
    rationale: 'The requirement asks for a way to say goodbye by name.',
    files: [
      {
        path: 'src/farewell.js',
        action: 'create',
        content: `export function farewell(name) {\n  ${body}\n}\n`,
      },
      {
        path: 'test/farewell.test.js',
        action: 'create',
        content:
          "import assert from 'node:assert/strict'\nimport { test } from 'node:test'\nimport { farewell } from '../src/farewell.js'\n\ntest('says goodbye by name', () => {\n  assert.equal(farewell('Ada'), 'Goodbye, Ada!')\n})\n",
      },
    ],
    validation_plan: { tests_to_run: ['test/farewell.test.js'] },
  }
}

/** A build_test answer about the sample's test step, after the steps named in `before` (which passed). */
export function sampleBuildTest(passed: boolean, before: string[] = []): Json {
  const ran = before.map((name) => ({ name, passed: true, summary: `${name} passed` }))
  return {
    verdict: passed ? 'pass' : 'fail',
    steps: [...ran, { name: 'test', passed, summary: passed ? 'all tests pass' : 'a test fails' }],
    failing_tests: passed ? [] : [{ name: 'says goodbye by name', message: 'the greeting is wrong' }],
    ...(passed ? {} : { diagnosis: 'farewell() returns the wrong text in src/farewell.js.' }),
  }
}

/** Steps of a run of the sample that passes every stage with the given ChangeSet. */
export async function sampleSteps(changeset = farewellChangeSet()): Promise<Step[]> {
  const outputs = await passingOutputs()
  outputs.implementation = { ...(await fixtureOutput('implementation')), changeset }
  outputs.build_test = sampleBuildTest(true)
  outputs.infra = {
    changeset: {
      intent: 'Run the tests in CI',
      rationale: 'Pushes and pull requests should meet the same bar as macds runs.',
      files: [
        {
          path: '.github/workflows/ci.yml',
          action: 'create',
          content:
            'name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: node --test\n',
        },
      ],
      validation_plan: { tests_to_run: [] },
    },
  }
  outputs.review = {
    verdict: 'approve',
    summary: 'farewell() does what the requirement asks, and its test covers it.',
    comments: [],
    standards_checked: ['Tests'],
  }
  return stepsFor(outputs, Object.keys(STAGE_AGENTS))
}

/** A ChangeSet that changes the body of the farewell function from `from` to `to`. */
export function farewellEdit(from: string, to: string): Json {
  return {
    intent: 'Fix the farewell text',
    rationale: 'build_test found the farewell text wrong.',
    files: [{ path: 'src/farewell.js', action: 'modify', edits: [{ search: from, replace: to }] }],
    validation_plan: { tests_to_run: ['test/farewell.test.js'] },
  }
}

/** Outputs of the sample's stages as stepsFor takes them (see sampleSteps). */
export async function sampleOutputs(): Promise<Record<string, Json>> {
  const outputs: Record<string, Json> = {}
  for (const step of await sampleSteps()) outputs[String(step.stage)] = step.output as Json
  return outputs
}

/** The implementation step answering with `changeset`. */
export async function implementationStep(changeset: Json): Promise<Step> {
  const output = { ...(await fixtureOutput('implementation')), changeset }
  return { agent: 'implementation', stage: 'implementation', output }
}
