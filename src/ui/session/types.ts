import type { ApprovalMode } from '../store/types.js'

/**
 * What the keys ask of the world outside the store: runs, answers, git and the editor. The app
 * calls these and never waits on them; results come back through the store.
 */
export interface Session {
  startRun: (requirement: string) => void
  cancelRun: () => void
  /** Answers a gate or an escalation of the run on screen. */
  answer: (id: string, decision: 'approve' | 'reject', reason?: string) => void
  /** The approval mode changed: pending gates are answered under the new one. */
  modeChanged: (mode: ApprovalMode) => void
  /** Lists an artifact's commits in an overlay. */
  showArtifact: (name: string) => Promise<void>
  /** Shows, in one diff overlay, what some commits made to some artifacts (a gate's artifact writes). */
  showDiffs: (title: string, changes: readonly { name: string; commit: string }[]) => Promise<void>
  /** Shows the diff one commit made to an artifact. */
  showCommit: (name: string, commit: string | undefined) => Promise<void>
  /** Hands the terminal to $EDITOR on a file, and takes it back when the editor quits. */
  editFile: (file: string) => Promise<void>
  /** Opens a text in $EDITOR to read it in full. */
  viewInEditor: (name: string, text: string) => Promise<void>
  quit: () => void
}
