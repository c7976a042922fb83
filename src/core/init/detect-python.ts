import { type DetectedStep, type EcosystemMatch, type RepoFiles, step } from './step.js'

interface PythonTool {
  name: 'uv' | 'poetry' | 'pip'
  install: string[]
  when_changed: string[]
  /** Prefix that runs a program inside the project's environment. */
  run: string[]
}

/**
 * A Python project described by pyproject.toml: install with uv or poetry when their lock file
 * exists (pip otherwise), lint and format with ruff or black when configured, type-check with mypy
 * when configured, and test with pytest when the project uses it.
 */
export function detectPython(files: RepoFiles): EcosystemMatch | undefined {
  const text = files.get('pyproject.toml')
  if (text === undefined) return undefined
  const tool = pythonTool(files, text)
  const notes: string[] = []
  const steps: DetectedStep[] = [step('install', tool.install, { when_changed: tool.when_changed })]
  const used: string[] = []
  const add = (name: DetectedStep['name'], program: string, command: string[]) => {
    used.push(program)
    steps.push(step(name, command))
  }
  const run = (command: string[]) => [...tool.run, ...command]

  const ruff = section(text, 'tool.ruff') || files.has('ruff.toml') || files.has('.ruff.toml')
  if (ruff || mentions(text, 'ruff')) add('lint', 'ruff', run(['ruff', 'check', '.']))
  if (section(text, 'tool.black') || mentions(text, 'black')) {
    add('format', 'black', run(['black', '--check', '.']))
  } else if (section(text, 'tool.ruff.format')) {
    add('format', 'ruff', run(['ruff', 'format', '--check', '.']))
  }
  const mypy = sectionBody(text, 'tool.mypy')
  if (mypy !== undefined) add('build', 'mypy', run(/^files\s*=/m.test(mypy) ? ['mypy'] : ['mypy', '.']))
  const pytest =
    mentions(text, 'pytest') || ['pytest.ini', 'conftest.py', 'tests/', 'test/'].some((f) => files.has(f))
  if (pytest) add('test', 'pytest', tool.name === 'pip' ? ['python', '-m', 'pytest'] : run(['pytest']))
  if (tool.name === 'pip') {
    notes.push('pip installs into the python found on PATH: start macds with your virtual environment active')
  }
  const tools = used.length > 0 ? `; ${[...new Set(used)].join(', ')}` : ''
  return { source: `pyproject.toml (${tool.name}${tools})`, steps, notes }
}

function pythonTool(files: RepoFiles, text: string): PythonTool {
  if (files.has('uv.lock')) {
    return {
      name: 'uv',
      install: ['uv', 'sync', '--frozen'],
      when_changed: ['pyproject.toml', 'uv.lock'],
      run: ['uv', 'run'],
    }
  }
  if (files.has('poetry.lock')) {
    return {
      name: 'poetry',
      install: ['poetry', 'install', '--no-interaction'],
      when_changed: ['pyproject.toml', 'poetry.lock'],
      run: ['poetry', 'run'],
    }
  }
  const extras = sectionBody(text, 'project.optional-dependencies') ?? ''
  const extra = ['dev', 'test', 'tests'].find((name) => new RegExp(`^${name}\\s*=`, 'm').test(extras))
  const target = extra ? `.[${extra}]` : '.'
  return {
    name: 'pip',
    install: ['python', '-m', 'pip', 'install', '-e', target],
    when_changed: ['pyproject.toml'],
    run: [],
  }
}

function escape(name: string): string {
  return name.replace(/[.[\]-]/g, (c) => `\\${c}`)
}

/** True when the TOML has the table `[name]` or a subtable of it. */
function section(text: string, name: string): boolean {
  return new RegExp(`^\\[${escape(name)}[.\\]]`, 'm').test(text)
}

/** The lines of the table `[name]` up to the next table header, or undefined when there is none. */
function sectionBody(text: string, name: string): string | undefined {
  const header = new RegExp(`^\\[${escape(name)}\\][^\\n]*\\n`, 'm').exec(text)
  if (!header) return undefined
  const rest = text.slice(header.index + header[0].length)
  const next = /^\[/m.exec(rest)
  return next ? rest.slice(0, next.index) : rest
}

/** True when a quoted dependency or a table names the tool, such as "pytest>=8" or [tool.pytest...]. */
function mentions(text: string, tool: string): boolean {
  return new RegExp(`["'\\[.]${escape(tool)}(?![\\w-])`).test(text)
}
