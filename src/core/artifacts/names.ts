/** The six artifacts every macds repository keeps under artifacts/, each owned by one agent. */
export const ARTIFACT_NAMES = [
  'REQUIREMENTS.md',
  'ARCHITECTURE.md',
  'DESIGN_DECISIONS.log',
  'API_CONTRACTS.yaml',
  'CODING_STANDARDS.md',
  'RISK_REGISTER.md',
] as const

export type ArtifactName = (typeof ARTIFACT_NAMES)[number]
