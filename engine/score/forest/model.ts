/**
 * A trained forest as a JSON model file's text, and back; plus feature importance and the
 * training-data hash that ties a model to the data it came from. No file access here: callers
 * write and read the text.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { CalibrationParams, FeatureMatrix, Forest, ForestTree } from './types.js';

export const MODEL_FORMAT = 'sangloc-forest';
export const MODEL_VERSION = 1;

/** What a model file records beside the trees. */
export interface ModelMeta {
  /** Name of each feature column, in matrix order. */
  featureNames: string[];
  /** sha256 of the training matrix, labels and weights ({@link hashTrainingData}). */
  dataHash: string;
  /** Hash of the config the training ran under (config/index.ts `configHash`). */
  configHash: string;
  /** ISO timestamp, passed in by the caller so the model text is reproducible. */
  createdAt: string;
}

/** Numbers JSON cannot hold (±Infinity, NaN) are written as strings. */
type JsonNumber = number | 'Infinity' | '-Infinity' | 'NaN';

function encodeFloats(values: ArrayLike<number>): JsonNumber[] {
  return Array.from(values, (v) => (Number.isFinite(v) ? v : v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'));
}

function decodeFloats(values: unknown, where: string, source: string): Float64Array {
  if (!Array.isArray(values)) throw new InputError(source, `${where} is not an array; re-train or re-export the model`);
  return Float64Array.from(values, (v: unknown) => {
    if (typeof v === 'number') return v;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (v === 'NaN') return NaN;
    throw new InputError(source, `${where} holds ${JSON.stringify(v)}, not a number`);
  });
}

function decodeInts<T extends Int32Array | Uint8Array>(
  values: unknown,
  make: (a: number[]) => T,
  where: string,
  source: string,
): T {
  if (!Array.isArray(values) || !values.every((v) => Number.isInteger(v))) {
    throw new InputError(source, `${where} must be an array of integers`);
  }
  return make(values as number[]);
}

const TREE_INT_FIELDS = ['feature', 'splitBin', 'left', 'right', 'samples'] as const;
const TREE_FLOAT_FIELDS = ['threshold', 'value', 'weight', 'impurityDecrease'] as const;

/**
 * The model file text: format tag, metadata, options, bin edges, trees and calibration.
 *
 * @example
 * const text = serializeForest(forest, { featureNames, dataHash, configHash, createdAt: '2025-01-31T00:00:00Z' });
 * deserializeForest(text).forest; // predicts exactly as `forest`
 */
export function serializeForest(forest: Forest, meta: ModelMeta): string {
  if (meta.featureNames.length !== forest.nFeatures) {
    throw new RangeError(`${meta.featureNames.length} feature names for a forest of ${forest.nFeatures} features`);
  }
  const doc = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    meta: {
      ...meta,
      rows: forest.rows,
      positives: forest.positives,
      seed: forest.options.seed,
    },
    options: forest.options,
    nFeatures: forest.nFeatures,
    edges: forest.edges.map((e) => encodeFloats(e)),
    trees: forest.trees.map((t) => {
      const out: Record<string, unknown> = {};
      for (const k of TREE_INT_FIELDS) out[k] = Array.from(t[k]);
      for (const k of TREE_FLOAT_FIELDS) out[k] = encodeFloats(t[k]);
      out.missingLeft = Array.from(t.missingLeft);
      return out;
    }),
    calibration: forest.calibration ?? null,
  };
  return JSON.stringify(doc);
}

/**
 * Reads a model file's text back. `source` names the file in error messages.
 *
 * @example
 * const { forest, meta } = deserializeForest(text, 'WS/models/m-2025-01-31.json');
 */
export function deserializeForest(
  text: string,
  source = 'model',
): { forest: Forest; meta: ModelMeta & { rows: number; positives: number; seed: number } } {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(source, `not valid JSON (${(err as Error).message}); the model file is damaged, re-train it`);
  }
  if (doc?.format !== MODEL_FORMAT)
    throw new InputError(source, `not a sangloc forest model (format ${JSON.stringify(doc?.format)})`);
  if (doc.version !== MODEL_VERSION) {
    throw new InputError(
      source,
      `model version ${String(doc.version)} is not supported (expected ${MODEL_VERSION}); re-train the model`,
    );
  }
  const nFeatures = doc.nFeatures;
  if (!Number.isInteger(nFeatures) || (nFeatures as number) < 1)
    throw new InputError(source, 'nFeatures must be a positive integer');
  const rawEdges = doc.edges;
  if (!Array.isArray(rawEdges) || rawEdges.length !== nFeatures)
    throw new InputError(source, `edges must list ${String(nFeatures)} features`);
  const edges = rawEdges.map((e, f) => decodeFloats(e, `edges[${f}]`, source));
  const rawTrees = doc.trees;
  if (!Array.isArray(rawTrees) || rawTrees.length === 0) throw new InputError(source, 'the model has no trees');
  const trees: ForestTree[] = rawTrees.map((raw: Record<string, unknown>, i) => {
    const at = (k: string) => `trees[${i}].${k}`;
    const tree = {
      feature: decodeInts(raw.feature, (a) => Int32Array.from(a), at('feature'), source),
      splitBin: decodeInts(raw.splitBin, (a) => Int32Array.from(a), at('splitBin'), source),
      left: decodeInts(raw.left, (a) => Int32Array.from(a), at('left'), source),
      right: decodeInts(raw.right, (a) => Int32Array.from(a), at('right'), source),
      samples: decodeInts(raw.samples, (a) => Int32Array.from(a), at('samples'), source),
      missingLeft: decodeInts(raw.missingLeft, (a) => Uint8Array.from(a), at('missingLeft'), source),
      threshold: decodeFloats(raw.threshold, at('threshold'), source),
      value: decodeFloats(raw.value, at('value'), source),
      weight: decodeFloats(raw.weight, at('weight'), source),
      impurityDecrease: decodeFloats(raw.impurityDecrease, at('impurityDecrease'), source),
    };
    const size = tree.feature.length;
    for (const [k, arr] of Object.entries(tree)) {
      if (arr.length !== size) throw new InputError(source, `${at(k)} has ${arr.length} nodes, feature has ${size}`);
    }
    for (let j = 0; j < size; j++) {
      const f = tree.feature[j]!;
      if (f >= nFeatures)
        throw new InputError(source, `${at('feature')}[${j}] = ${f} is outside the ${String(nFeatures)} features`);
      if (f >= 0 && !(tree.left[j]! > j && tree.left[j]! < size && tree.right[j]! > j && tree.right[j]! < size)) {
        throw new InputError(source, `${at('left/right')}[${j}] point outside the tree`);
      }
    }
    return tree;
  });
  const meta = doc.meta as ModelMeta & { rows: number; positives: number; seed: number };
  const options = doc.options as Forest['options'];
  const forest: Forest = {
    nFeatures: nFeatures as number,
    edges,
    nBins: Int32Array.from(edges, (e) => e.length + 1),
    trees,
    options,
    rows: meta.rows,
    positives: meta.positives,
  };
  if (doc.calibration) forest.calibration = doc.calibration as CalibrationParams;
  return { forest, meta };
}

/**
 * Mean decrease in weighted Gini impurity per feature (each tree normalised to 1, then
 * averaged, as scikit-learn does); sums to 1 unless no tree has a split.
 *
 * @example
 * featureImportance(forest); // Float64Array [0.41, 0.02, …] in feature order
 */
export function featureImportance(forest: Forest): Float64Array {
  const total = new Float64Array(forest.nFeatures);
  const perTree = new Float64Array(forest.nFeatures);
  let counted = 0;
  for (const tree of forest.trees) {
    perTree.fill(0);
    let sum = 0;
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i]!;
      if (f < 0) continue;
      const g = Math.max(0, tree.impurityDecrease[i]!);
      perTree[f]! += g;
      sum += g;
    }
    if (sum <= 0) continue;
    for (let f = 0; f < forest.nFeatures; f++) total[f]! += perTree[f]! / sum;
    counted++;
  }
  if (counted > 0) for (let f = 0; f < forest.nFeatures; f++) total[f]! /= counted;
  return total;
}

/**
 * sha256 over the training matrix (as float64 bytes, row-major or column by column), labels and
 * weights: the `dataHash` a model records.
 *
 * @example
 * hashTrainingData(columns, y); // 'sha256:9f2c…'
 */
export function hashTrainingData(X: FeatureMatrix, y: Uint8Array, weights?: Float64Array): string {
  const h = createHash('sha256');
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(Array.isArray(X) ? `columns:${X.length}` : `rows:${y.length}`);
  for (const part of Array.isArray(X) ? X : [X]) h.update(bytes(part));
  h.update(bytes(y));
  if (weights) h.update(bytes(weights));
  return `sha256:${h.digest('hex')}`;
}
