import { spawn } from 'node:child_process'
import { MacdsError } from './errors.js'

/** The editor command from $VISUAL or $EDITOR, split into program and arguments (no shell is involved). */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = (env.VISUAL || env.EDITOR || 'vi').trim()
  return raw.split(/\s+/)
}

/**
 * Opens `file` in the user's editor with the terminal handed over, and resolves with its exit code
 * once it quits. A missing editor program is a user error that names the variables to set.
 */
export function openInEditor(file: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [program = 'vi', ...args] = editorCommand(env)
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args, file], { stdio: 'inherit', env })
    child.on('error', (error) => {
      reject(
        new MacdsError('EDITOR_FAILED', `cannot start the editor '${program}': ${error.message}`, {
          kind: 'user',
          hint: 'Set $VISUAL or $EDITOR to an editor installed here, for example `export EDITOR=nano`.',
          cause: error,
        }),
      )
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}
