import { join } from 'node:path';
import type { Config } from './config/index.js';
import type { EntityBatch } from './features/read.js';
import type { Logger } from './log.js';
import { serializeForest } from './score/forest/index.js';
import { modelFeatureNames, modelMatrix } from './score/model-features.js';
import type { Scored } from './score/score.js';
import { applyCalibration, defaultSupervisedOptions, fitSupervised, type FitMetrics } from './score/supervised.js';
import { createScorePool, predictParallel } from './workers/pool.js';
import { saveModel } from './warehouse/models.js';
import { labelledRows, modelCard } from './outcomes/train.js';
import type { Workspace } from './warehouse/workspace.js';
import { fmt } from './format.js';

export interface SupervisedScore {
  /** Probability of under-declaration per entity: the calibrated forest blended with the rules, or the rules alone. */
  probability: Float64Array;
  expectedYield: Float64Array;
  modelId: string | null;
  description: string;
  metrics?: FitMetrics;
}

/**
 * Trains the forest on this tax year's audit outcomes (when there are enough), saves it in
 * WS/models with the hash of its data and config, predicts every entity in worker threads and blends
 * the calibrated probability with the rule-based one. Falls back to rules alone and says why.
 */
export async function scoreSupervised(
  ws: Workspace,
  batch: EntityBatch,
  scored: Scored,
  opts: { config: Config; taxYear: number; log: Logger },
): Promise<SupervisedScore> {
  const { config, log } = opts;
  const n = batch.batch.n;
  const d = modelFeatureNames.length;
  const X = modelMatrix(batch.batch, scored);
  const fit = fitSupervised(X, d, labelledRows(batch), { ...defaultSupervisedOptions, seed: config.seed });
  if (fit.status === 'skipped') {
    log.warn(`score: no model trained (${fit.reason}); ranking on rules and peer statistics alone`);
    return {
      probability: scored.risk,
      expectedYield: scored.expectedYield,
      modelId: null,
      description: `rules and peer statistics (no model: ${fit.reason})`,
    };
  }
  const pool = createScorePool({ threads: config.threads });
  let raw: Float64Array;
  try {
    raw = await predictParallel(pool, fit.compiled, X);
  } finally {
    await pool.destroy();
  }
  const forestP = applyCalibration(raw, fit.calibration);
  const w = config.score.forestWeight;
  const probability = new Float64Array(n);
  const expectedYield = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    probability[i] = w * forestP[i]! + (1 - w) * scored.risk[i]!;
    expectedYield[i] = Math.round(probability[i]! * scored.derived.taxGap[i]!);
  }
  const createdAt = new Date().toISOString();
  const card = modelCard(fit, { taxYear: opts.taxYear, config, createdAt });
  const modelId = card.model_id;
  const text = serializeForest(fit.forest, {
    featureNames: [...modelFeatureNames],
    dataHash: fit.dataHash,
    configHash: card.config_hash,
    createdAt,
  });
  saveModel(ws, card, text);
  log.info(
    `score: forest ${modelId} trained on ${fit.metrics.labels} outcomes (${fit.metrics.positives} ` +
      `undeclared, ${fit.metrics.randomLabels} random audits): ` +
      `cross-validated AUC ${fmt().dec(fit.metrics.cvAuc, 3)}; saved in ${join('models', modelId + '.json')}`,
  );
  return {
    probability,
    expectedYield,
    modelId,
    description: `calibrated forest (weight ${w}) blended with rules`,
    metrics: fit.metrics,
  };
}
