/** The six artifacts: owned writes, one commit per change, and their history. */
export { APPEND_ONLY, appended, artifactName, checkContent, checkOwner } from './checks.js'
export { type ArtifactVersion, artifactDiff, artifactVersions, type HistoryOptions } from './history.js'
export { ARTIFACT_NAMES, type ArtifactName } from './names.js'
export {
  type ArtifactCommit,
  type ArtifactStore,
  type ArtifactStoreOptions,
  type ArtifactWrite,
  createArtifactStore,
} from './store.js'
