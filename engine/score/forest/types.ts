/**
 * Shapes shared by the forest trainer, compiler, predictor and model files. Everything here is
 * plain data (typed arrays and numbers), so it crosses worker boundaries and serialises to JSON.
 */

/** A feature matrix: row-major `Float64Array` (n × d) or one `Float64Array` per feature. NaN = missing. */
export type FeatureMatrix = Float64Array | Float64Array[];

/** Training options of {@link trainForest}. */
export interface TrainOptions {
  /** Number of trees. */
  trees: number;
  /** Maximum depth (the root is depth 0; a tree of depth 10 has at most 2^10 leaves). */
  maxDepth: number;
  /** Minimum number of distinct in-bag rows in each leaf. */
  minSamplesLeaf: number;
  /** Features tried per split: 'sqrt' (⌊√d⌋), an integer count ≥ 1, or a fraction in (0, 1). */
  maxFeatures: 'sqrt' | number;
  /** Bins per feature including the missing-value bin, at most 256. */
  bins: number;
  /** Per-row weights (e.g. random-audit rows weighted up); default all 1. */
  sampleWeight?: Float64Array;
  /** Seed of every random choice (bootstrap, feature sampling). */
  seed: number;
  /** Draw a bootstrap sample per tree (true) or use every row (false). */
  bootstrap: boolean;
}

/** Features quantised once: one `Uint8Array` of bin numbers per feature, and the edges between bins. */
export interface BinnedMatrix {
  nRows: number;
  nFeatures: number;
  /** columns[f][row] = bin; value bins are 0..nBins[f]-1, bin nBins[f] holds the missing values. */
  columns: Uint8Array[];
  /** edges[f][b] separates bin b from b+1: a value v is in bin ≤ b exactly when v <= edges[f][b]. */
  edges: Float64Array[];
  /** Number of value bins per feature (the missing bin comes after them). */
  nBins: Int32Array;
}

/**
 * One trained tree in node arrays. Node 0 is the root; children of a split node are allocated
 * together, so right[i] === left[i] + 1. Leaves have feature -1.
 */
export interface ForestTree {
  feature: Int32Array;
  /** Split bin: rows with bin <= splitBin go left (value bins only). */
  splitBin: Int32Array;
  /** Real-valued threshold equal to the split bin's upper edge: x <= threshold goes left. */
  threshold: Float64Array;
  /** 1 when missing values go left at this node. */
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Weighted share of positives among the node's in-bag rows (the prediction at a leaf). */
  value: Float64Array;
  /** Weighted in-bag rows at the node. */
  weight: Float64Array;
  /** Distinct in-bag rows at the node. */
  samples: Int32Array;
  /** Weighted Gini impurity decrease of the node's split (0 at leaves). */
  impurityDecrease: Float64Array;
}

/** A calibration fitted on out-of-fold scores; see metrics.ts `calibrate`. */
export type CalibrationParams =
  | { method: 'platt'; a: number; b: number }
  | { method: 'isotonic'; x: number[]; y: number[] };

/** A trained forest: trees over binned features plus the bin edges to read raw values. */
export interface Forest {
  nFeatures: number;
  edges: Float64Array[];
  nBins: Int32Array;
  trees: ForestTree[];
  options: Omit<TrainOptions, 'sampleWeight'> & { weighted: boolean };
  /** Training rows and weighted/unweighted positives. */
  rows: number;
  positives: number;
  calibration?: CalibrationParams;
}

/**
 * A forest flattened for prediction: all trees' nodes in one set of typed arrays. A row walks
 * from roots[t]: at a split node it goes left when x[feature] <= threshold, or when x is NaN and
 * missingLeft is 1; at a leaf (feature -1) it reads value. `aggregate` says how trees combine:
 * 'mean' averages leaf values, 'vote' takes the majority class label (ties as ml-random-forest).
 */
export interface CompiledForest {
  nFeatures: number;
  nTrees: number;
  aggregate: 'mean' | 'vote';
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  missingLeft: Uint8Array;
  roots: Int32Array;
}
