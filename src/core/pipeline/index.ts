export { commandLine } from './attempt.js'
export { commandEnv, type CommandEnv } from './env.js'
export { isFailureLine } from './failure-lines.js'
export { formatTail, OutputCollector, type CollectedOutput } from './output.js'
export { flakySteps, runPipeline } from './run.js'
export {
  type PipelineEvent,
  type PipelineOptions,
  type PipelineReport,
  type StepResult,
  succeeded,
} from './types.js'
