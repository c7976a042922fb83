import { PIPELINE_STEP_NAMES } from '../config/workspace-types.js'
import type { DetectedStep, EcosystemMatch, RepoFiles } from './step.js'
import { detectNode } from './detect-node.js'
import { detectPython } from './detect-python.js'
import { detectGo, detectGradle, detectMaven, detectRust } from './detect-native.js'

export type { DetectedStep, EcosystemMatch, RepoFiles } from './step.js'

/** The pipeline detected from a repository; `source` is undefined when nothing was recognised. */
export interface Detection {
  source: string | undefined
  /** In pipeline order: install, format, lint, build, test. */
  steps: DetectedStep[]
  notes: string[]
}

interface Detector {
  manifest: string
  detect: (files: RepoFiles) => EcosystemMatch | undefined
}

/** Tried in this order; the first that matches supplies the pipeline. */
const DETECTORS: readonly Detector[] = [
  { manifest: 'package.json', detect: detectNode },
  { manifest: 'pyproject.toml', detect: detectPython },
  { manifest: 'go.mod', detect: detectGo },
  { manifest: 'Cargo.toml', detect: detectRust },
  { manifest: 'pom.xml', detect: detectMaven },
  { manifest: 'build.gradle(.kts)', detect: detectGradle },
]

/** Every top-level file or directory a detector may look at; what `readRepoFiles` reads. */
export const DETECTION_FILES: readonly string[] = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  '.yarnrc.yml',
  'bun.lockb',
  'bun.lock',
  'pyproject.toml',
  'uv.lock',
  'poetry.lock',
  'ruff.toml',
  '.ruff.toml',
  'pytest.ini',
  'conftest.py',
  'tests/',
  'test/',
  'go.mod',
  'go.sum',
  'Cargo.toml',
  'Cargo.lock',
  'pom.xml',
  'mvnw',
  'build.gradle',
  'build.gradle.kts',
  'gradlew',
]

/**
 * Detects the validation pipeline from the manifests at the top of a repository. The first
 * recognised ecosystem supplies the commands; other manifests found are mentioned in the notes, since
 * each pipeline step holds one command.
 */
export function detectPipeline(files: RepoFiles): Detection {
  let found: EcosystemMatch | undefined
  const others: string[] = []
  for (const detector of DETECTORS) {
    const match = detector.detect(files)
    if (!match) continue
    if (found) others.push(detector.manifest)
    else found = match
  }
  if (!found) return { source: undefined, steps: [], notes: [] }
  const steps = [...found.steps].sort(
    (a, b) => PIPELINE_STEP_NAMES.indexOf(a.name) - PIPELINE_STEP_NAMES.indexOf(b.name),
  )
  const notes = [...found.notes]
  if (others.length > 0) {
    notes.push(`also found ${others.join(', ')}; add their commands to macds.yaml by hand if they matter`)
  }
  return { source: found.source, steps, notes }
}

/** True when the pipeline has a step that checks a change (anything besides install). */
export function validatesChanges(detection: Detection): boolean {
  return detection.steps.some((s) => s.name !== 'install')
}
