/**
 * The git layer macds writes with: every call runs with hooks, pagers, editors, external diffs and
 * signing switched off, and without the caller's GIT_* variables.
 */
export { asCommitter, commit, commitMessage, type CommitRequest, type Identity } from './commit.js'
export { commitDiff, type LoggedCommit, pathLog } from './history.js'
export { mergeInto, type MergeResult } from './merge.js'
export { advanceBranch, mergeBase, mergeFfOnly, NO_COMMIT, updateRefCas } from './refs.js'
export {
  changedPaths,
  currentBranch,
  isClean,
  type OpenRepository,
  openRepository,
  repositoryState,
  type RepositoryState,
  revParse,
} from './repo.js'
export { git, gitAt, gitEnv, GitExit, gitTry, type GitResult, SAFE_CONFIG } from './run.js'
export {
  addWorktree,
  deleteBranch,
  listWorktrees,
  removeWorktree,
  type Worktree,
  worktreeOf,
} from './worktree.js'
