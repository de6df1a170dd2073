import {
  calibrate,
  calibrator,
  compileForest,
  crossValidate,
  featureImportance,
  hashTrainingData,
  precisionAtK,
  trainForest,
} from './forest/index.js';
import type { CalibrationParams, CompiledForest, Forest, TrainOptions } from './forest/index.js';

export interface SupervisedOptions {
  /** Fewer labels than this (or fewer than `minPerClass` of either class): no model, rules only. */
  minLabels: number;
  minPerClass: number;
  /** Weight of a label from a random audit relative to one from a risk-selected audit. */
  randomWeight: number;
  folds: number;
  train: Omit<TrainOptions, 'seed' | 'sampleWeight'>;
  seed: number;
}

export const defaultSupervisedOptions: Omit<SupervisedOptions, 'seed'> = {
  minLabels: 40,
  minPerClass: 8,
  randomWeight: 4,
  folds: 5,
  train: { trees: 200, maxDepth: 6, minSamplesLeaf: 3, maxFeatures: 'sqrt', bins: 64, bootstrap: true },
};

export interface LabelledRows {
  /** Row indices (into the full matrix) of the labelled entities. */
  rows: Int32Array;
  /** 1 = the audit found undeclared revenue. */
  y: Uint8Array;
  /** 1 = picked at random (unbiased label). */
  random: Uint8Array;
}

export type Fitted =
  | {
      status: 'trained';
      forest: Forest;
      compiled: CompiledForest;
      calibration: CalibrationParams;
      metrics: FitMetrics;
      importance: Float64Array;
      /** sha256 of the training rows, labels and weights. */
      dataHash: string;
    }
  | { status: 'skipped'; reason: string; labels: number; positives: number };

export interface FitMetrics {
  labels: number;
  positives: number;
  randomLabels: number;
  /** Cross-validated AUC (weighted: random audits count more). */
  cvAuc: number;
  /** Cross-validated precision among the top 10 % of labelled entities by out-of-fold score. */
  cvPrecisionAtTenth: number;
}

/**
 * Trains the forest on audit outcomes, weighting random-audit labels up (risk-selected ones are
 * biased towards obvious cases), cross-validates it and calibrates its scores to probabilities on
 * the out-of-fold scores. With too few labels it says so and the core runs on rules alone.
 *
 * @example const fit = fitSupervised(X, d, labels, { ...defaultSupervisedOptions, seed: 1 });
 */
export function fitSupervised(X: Float64Array, d: number, labels: LabelledRows, opts: SupervisedOptions): Fitted {
  const n = labels.rows.length;
  let positives = 0;
  for (const v of labels.y) positives += v;
  if (n < opts.minLabels || positives < opts.minPerClass || n - positives < opts.minPerClass) {
    return {
      status: 'skipped',
      reason:
        `${n} audit outcomes (${positives} undeclared, ${n - positives} compliant) linked to entities; at ` +
        `least ${opts.minLabels} with ${opts.minPerClass} of each are needed`,
      labels: n,
      positives,
    };
  }
  const Xl = new Float64Array(n * d);
  for (let k = 0; k < n; k++) Xl.set(X.subarray(labels.rows[k]! * d, labels.rows[k]! * d + d), k * d);
  const w = Float64Array.from(labels.random, (r) => (r ? opts.randomWeight : 1));
  const base = { ...opts.train, sampleWeight: w };
  const folds = Math.min(opts.folds, positives, n - positives);
  const cv = crossValidate(Xl, labels.y, { ...base, seed: opts.seed }, folds);
  const cal = calibrate(cv.oof, labels.y, { method: 'platt', weights: w });
  const forest = trainForest(Xl, labels.y, { ...base, seed: opts.seed });
  forest.calibration = cal.params;
  let randomLabels = 0;
  for (const r of labels.random) randomLabels += r;
  return {
    status: 'trained',
    forest,
    compiled: compileForest(forest),
    calibration: cal.params,
    importance: featureImportance(forest),
    dataHash: hashTrainingData(Xl, labels.y, w),
    metrics: {
      labels: n,
      positives,
      randomLabels,
      cvAuc: cv.auc,
      cvPrecisionAtTenth: precisionAtK(cv.oof, labels.y, Math.max(1, Math.round(n / 10))),
    },
  };
}

/** Calibrated probabilities from raw forest scores. */
export function applyCalibration(raw: Float64Array, params: CalibrationParams): Float64Array {
  const c = calibrator(params);
  return Float64Array.from(raw, (s) => c.apply(s));
}
