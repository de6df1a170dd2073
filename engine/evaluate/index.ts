/** Metrics of a run against synthetic truth (`sangloc evaluate`). */
export {
  evaluateRun,
  saveEvaluation,
  defaultKs,
  identitySources,
  type Evaluation,
  type EvaluateOptions,
} from './evaluate.js';
export { formatEvaluation, alignTable } from './format.js';
export {
  rankingAtK,
  pairwiseFromCounts,
  pairCount,
  type RankedCase,
  type RankingAtK,
  type PairwiseScores,
} from './metrics.js';
export { resolveRunDir } from './read.js';
export type { AuditedSummary } from './audited.js';
