import { type EcosystemMatch, type RepoFiles, step } from './step.js'

/** Compiled languages build and test slowly; their steps get more time. */
const SLOW = { timeout_seconds: 1200 }

/** A Go module: download modules, vet, build and test every package. */
export function detectGo(files: RepoFiles): EcosystemMatch | undefined {
  if (!files.has('go.mod')) return undefined
  const manifests = files.has('go.sum') ? ['go.mod', 'go.sum'] : ['go.mod']
  return {
    source: 'go.mod (go toolchain)',
    steps: [
      step('install', ['go', 'mod', 'download'], { when_changed: manifests }),
      step('lint', ['go', 'vet', './...']),
      step('build', ['go', 'build', './...']),
      step('test', ['go', 'test', './...']),
    ],
    notes: [
      '`gofmt -l .` exits 0 even when files are unformatted, so no format step was added; ' +
        'a step with `shell: true` and `command: test -z "$(gofmt -l .)"` makes it a check',
    ],
  }
}

/** A Cargo package or workspace: fetch crates, check formatting, clippy with warnings as errors, build, test. */
export function detectRust(files: RepoFiles): EcosystemMatch | undefined {
  if (!files.has('Cargo.toml')) return undefined
  const manifests = files.has('Cargo.lock') ? ['Cargo.toml', 'Cargo.lock'] : ['Cargo.toml']
  return {
    source: 'Cargo.toml (cargo)',
    steps: [
      step('install', ['cargo', 'fetch'], { when_changed: manifests }),
      step('format', ['cargo', 'fmt', '--check']),
      step('lint', ['cargo', 'clippy', '--all-targets', '--', '-D', 'warnings'], SLOW),
      step('build', ['cargo', 'build', '--all-targets'], SLOW),
      step('test', ['cargo', 'test'], SLOW),
    ],
    notes: ['format and lint need the rustfmt and clippy components (`rustup component add rustfmt clippy`)'],
  }
}

/** A Maven project: package without tests, then test; the wrapper when the repository has one. */
export function detectMaven(files: RepoFiles): EcosystemMatch | undefined {
  if (!files.has('pom.xml')) return undefined
  const mvn = files.has('mvnw') ? './mvnw' : 'mvn'
  return {
    source: `pom.xml (${mvn === 'mvn' ? 'maven' : 'maven wrapper'})`,
    steps: [
      step('build', [mvn, '-q', '-DskipTests', 'package'], SLOW),
      step('test', [mvn, '-q', 'test'], SLOW),
    ],
    notes: [],
  }
}

/**
 * A Gradle project: build without tests, then test; the wrapper when the repository has one. No daemon,
 * so that a timeout that kills the command's process group leaves nothing running.
 */
export function detectGradle(files: RepoFiles): EcosystemMatch | undefined {
  const manifest = ['build.gradle', 'build.gradle.kts'].find((f) => files.has(f))
  if (!manifest) return undefined
  const gradle = files.has('gradlew') ? './gradlew' : 'gradle'
  return {
    source: `${manifest} (${gradle === 'gradle' ? 'gradle' : 'gradle wrapper'})`,
    steps: [
      step('build', [gradle, '--no-daemon', '-q', 'build', '-x', 'test'], SLOW),
      step('test', [gradle, '--no-daemon', '-q', 'test'], SLOW),
    ],
    notes: [],
  }
}
