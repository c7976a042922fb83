import { APPEND_ONLY, appended, type ArtifactName } from '../artifacts/index.js'
import type { GuardConfig } from '../config/workspace-types.js'
import type { Violation } from '../contracts/types.js'
import type { ChangeSet } from '../run/workspace.js'

/**
 * The text an artifact will have. An append-only artifact keeps what it has: content that extends it is
 * taken as it is, and other content is read as entries (blocks between blank lines), of which those it
 * already holds are dropped (an agent that rewrote the whole log, spacing changed, adds only its new
 * entries) and the rest appended.
 */
export function versionOf(name: string, content: string, previous: string | undefined): string {
  if (!APPEND_ONLY.includes(name as ArtifactName) || content.startsWith(previous ?? '')) return content
  const known = new Set(blocks(previous ?? '').map(normalized))
  const fresh = blocks(content).filter((block) => !known.has(normalized(block)))
  return fresh.length === 0 ? (previous ?? '') : appended(previous, fresh.join('\n\n'))
}

/** The blocks of a text: runs of lines between blank lines. */
function blocks(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((block) => block.replace(/^\n+|\s+$/g, ''))
    .filter((block) => block.trim() !== '')
}

/** A block as compared: each line without the spaces around it. */
function normalized(block: string): string {
  return block
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
}

/** The guard as it applies to a trusted agent: no deletion limit, and fewer protected paths. */
export function trustedGuard(guard: GuardConfig): GuardConfig {
  const waived = new Set(guard.trusted_may_change)
  return {
    ...guard,
    max_deleted_lines: Number.MAX_SAFE_INTEGER,
    protected: guard.protected.filter((glob) => !waived.has(glob)),
  }
}

/** ChangeSet entries under artifacts/: artifacts change only through their owner's output. */
export function artifactWrites(changeset: ChangeSet): Violation[] {
  return changeset.files.flatMap((file, index) =>
    file.path.startsWith('artifacts/')
      ? [
          {
            rule_id: 'CS-ARTIFACT',
            severity: 'error' as const,
            message: `${file.path} is an artifact; a ChangeSet cannot change it`,
            location: `/changeset/files/${index}/path`,
            suggested_fix:
              'Leave the artifact out of the ChangeSet; its owner changes it through its own output.',
          },
        ]
      : [],
  )
}
