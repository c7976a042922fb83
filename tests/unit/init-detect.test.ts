import { describe, expect, it } from 'vitest'
import { detectPipeline, type RepoFiles, validatesChanges } from '../../src/core/init/detect.js'

function files(entries: Record<string, string>): RepoFiles {
  return new Map(Object.entries(entries))
}

function pkg(scripts: Record<string, string>): string {
  return JSON.stringify({ name: 'app', version: '1.0.0', scripts })
}

/** The detected commands by step name, joined with spaces. */
function commands(repo: Record<string, string>): Record<string, string> {
  const detection = detectPipeline(files(repo))
  return Object.fromEntries(detection.steps.map((s) => [s.name, s.command.join(' ')]))
}

const NPM_PLACEHOLDER = 'echo "Error: no test specified" && exit 1'

describe('detectPipeline', () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    [
      'npm with a lock file and the usual scripts',
      {
        'package.json': pkg({ lint: 'eslint .', build: 'tsc', test: 'vitest run', format: 'prettier -w .' }),
        'package-lock.json': '',
      },
      { install: 'npm ci', lint: 'npm run lint', build: 'npm run build', test: 'npm test' },
    ],
    [
      'npm without a lock file, with a format check script',
      { 'package.json': pkg({ 'format:check': 'prettier --check .', test: 'jest' }) },
      { install: 'npm install', format: 'npm run format:check', test: 'npm test' },
    ],
    [
      'a format script that only checks',
      { 'package.json': pkg({ format: 'prettier --check .' }), 'package-lock.json': '' },
      { install: 'npm ci', format: 'npm run format' },
    ],
    [
      "npm's placeholder test script is skipped; typecheck stands in for build",
      { 'package.json': pkg({ test: NPM_PLACEHOLDER, typecheck: 'tsc --noEmit' }), 'package-lock.json': '' },
      { install: 'npm ci', build: 'npm run typecheck' },
    ],
    [
      'pnpm',
      { 'package.json': pkg({ lint: 'eslint .', test: 'vitest' }), 'pnpm-lock.yaml': '' },
      { install: 'pnpm install --frozen-lockfile', lint: 'pnpm run lint', test: 'pnpm test' },
    ],
    [
      'yarn classic',
      { 'package.json': pkg({ test: 'jest' }), 'yarn.lock': '' },
      { install: 'yarn install --frozen-lockfile', test: 'yarn test' },
    ],
    [
      'yarn berry',
      { 'package.json': pkg({ build: 'tsc' }), 'yarn.lock': '', '.yarnrc.yml': '' },
      { install: 'yarn install --immutable', build: 'yarn run build' },
    ],
    [
      'bun',
      { 'package.json': pkg({ test: 'bun test' }), 'bun.lock': '' },
      { install: 'bun install --frozen-lockfile', test: 'bun run test' },
    ],
    [
      'python with uv, ruff and pytest',
      {
        'pyproject.toml':
          '[project]\nname = "x"\n\n[dependency-groups]\ndev = ["pytest>=8", "ruff"]\n\n[tool.ruff]\nline-length = 100\n',
        'uv.lock': '',
      },
      { install: 'uv sync --frozen', lint: 'uv run ruff check .', test: 'uv run pytest' },
    ],
    [
      'python with poetry, black and mypy',
      {
        'pyproject.toml':
          '[tool.poetry]\nname = "x"\n\n[tool.black]\nline-length = 88\n\n[tool.mypy]\nstrict = true\n',
        'poetry.lock': '',
        'tests/': '',
      },
      {
        install: 'poetry install --no-interaction',
        format: 'poetry run black --check .',
        build: 'poetry run mypy .',
        test: 'poetry run pytest',
      },
    ],
    [
      'python with pip, a dev extra and ruff format',
      {
        'pyproject.toml':
          '[project]\nname = "x"\n\n[project.optional-dependencies]\ndev = ["pytest"]\n\n[tool.ruff.format]\nquote-style = "single"\n',
      },
      {
        install: 'python -m pip install -e .[dev]',
        format: 'ruff format --check .',
        lint: 'ruff check .',
        test: 'python -m pytest',
      },
    ],
    [
      'python without tools',
      { 'pyproject.toml': '[project]\nname = "x"\n' },
      { install: 'python -m pip install -e .' },
    ],
    [
      'go',
      { 'go.mod': 'module example.com/x\n', 'go.sum': '' },
      { install: 'go mod download', lint: 'go vet ./...', build: 'go build ./...', test: 'go test ./...' },
    ],
    [
      'rust',
      { 'Cargo.toml': '[package]\nname = "x"\n', 'Cargo.lock': '' },
      {
        install: 'cargo fetch',
        format: 'cargo fmt --check',
        lint: 'cargo clippy --all-targets -- -D warnings',
        build: 'cargo build --all-targets',
        test: 'cargo test',
      },
    ],
    ['maven', { 'pom.xml': '<project/>' }, { build: 'mvn -q -DskipTests package', test: 'mvn -q test' }],
    [
      'maven wrapper',
      { 'pom.xml': '<project/>', mvnw: '' },
      { build: './mvnw -q -DskipTests package', test: './mvnw -q test' },
    ],
    [
      'gradle wrapper',
      { 'build.gradle.kts': '', gradlew: '' },
      { build: './gradlew --no-daemon -q build -x test', test: './gradlew --no-daemon -q test' },
    ],
    ['nothing', { 'README.md': '# x' }, {}],
  ])('%s', (_name, repo, expected) => {
    expect(commands(repo)).toEqual(expected)
  })

  it('lists the steps in pipeline order', () => {
    const detection = detectPipeline(
      files({ 'package.json': pkg({ test: 't', build: 'b', lint: 'l', 'format:check': 'f' }) }),
    )
    expect(detection.steps.map((s) => s.name)).toEqual(['install', 'format', 'lint', 'build', 'test'])
  })

  it('runs install only when the manifest or lock file changed', () => {
    const [install] = detectPipeline(files({ 'package.json': pkg({}), 'package-lock.json': '' })).steps
    expect(install).toMatchObject({ name: 'install', when_changed: ['package.json', 'package-lock.json'] })
    const go = detectPipeline(files({ 'go.mod': '' })).steps[0]
    expect(go?.when_changed).toEqual(['go.mod'])
  })

  it('says where the commands came from', () => {
    const node = detectPipeline(
      files({ 'package.json': pkg({ lint: 'x', test: 'y' }), 'package-lock.json': '' }),
    )
    expect(node.source).toBe('package.json (scripts lint, test; npm, package-lock.json)')
    expect(detectPipeline(files({})).source).toBeUndefined()
  })

  it('explains what it left out', () => {
    const notes = (repo: Record<string, string>) => detectPipeline(files(repo)).notes.join('\n')
    expect(notes({ 'package.json': pkg({ format: 'prettier --write .' }) })).toContain('rewrites files')
    expect(notes({ 'package.json': pkg({ test: NPM_PLACEHOLDER }) })).toContain('placeholder')
    expect(notes({ 'package.json': '{ not json' })).toContain('not valid JSON')
    expect(notes({ 'package.json': pkg({ test: 'x' }), 'go.mod': '' })).toContain('also found go.mod')
  })

  it('prefers package.json when several manifests exist', () => {
    expect(commands({ 'package.json': pkg({ test: 'x' }), 'pyproject.toml': '' }).test).toBe('npm test')
  })

  it.each<[string, Record<string, string>, boolean]>([
    ['a test command', { 'go.mod': '' }, true],
    ['install only', { 'package.json': pkg({}) }, false],
    ['nothing', {}, false],
  ])('validatesChanges with %s is %s', (_name, repo, expected) => {
    expect(validatesChanges(detectPipeline(files(repo)))).toBe(expected)
  })
})
