import { APPEND_ONLY, appended, type ArtifactName } from '../artifacts/index.js'
import type { GuardConfig } from '../config/workspace-types.js'
import type { Violation } from '../contracts/types.js'
import type { ChangeSet } from '../run/workspace.js'

/** The text an artifact will have: an append-only artifact given as new entries gets them appended. */
export function versionOf(name: string, content: string, previous: string | undefined): string {
  const entries = APPEND_ONLY.includes(name as ArtifactName) && !content.startsWith(previous ?? '')
  return entries ? appended(previous, content) : content
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
