/**
 * The forest flattened into typed arrays, and the predictor over them. Thresholds are real
 * values, so prediction reads raw features without binning.
 */
import type { CompiledForest, FeatureMatrix, Forest } from './types.js';

export type { CompiledForest } from './types.js';

/**
 * Flattens a trained forest: every tree's nodes are appended to one set of arrays, child
 * indices made absolute.
 *
 * @example
 * const cf = compileForest(forest);
 * const scores = predictCompiled(cf, rowMajorX); // one score per row
 */
export function compileForest(forest: Forest): CompiledForest {
  let total = 0;
  for (const t of forest.trees) total += t.feature.length;
  const cf = emptyCompiled(forest.nFeatures, forest.trees.length, total, 'mean');
  let offset = 0;
  forest.trees.forEach((t, k) => {
    cf.roots[k] = offset;
    const size = t.feature.length;
    for (let i = 0; i < size; i++) {
      const j = offset + i;
      const f = t.feature[i]!;
      cf.feature[j] = f;
      cf.value[j] = t.value[i]!;
      if (f >= 0) {
        cf.threshold[j] = t.threshold[i]!;
        cf.left[j] = offset + t.left[i]!;
        cf.right[j] = offset + t.right[i]!;
        cf.missingLeft[j] = t.missingLeft[i]!;
      } else {
        cf.left[j] = -1;
        cf.right[j] = -1;
      }
    }
    offset += size;
  });
  return cf;
}

/** Allocates a compiled forest of `nodes` nodes (filled in by the caller). */
export function emptyCompiled(
  nFeatures: number,
  nTrees: number,
  nodes: number,
  aggregate: CompiledForest['aggregate'],
): CompiledForest {
  return {
    nFeatures,
    nTrees,
    aggregate,
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    value: new Float64Array(nodes),
    missingLeft: new Uint8Array(nodes),
    roots: new Int32Array(nTrees),
  };
}

/** Number of rows of a matrix for a compiled forest of `nFeatures` features. */
export function rowCount(X: FeatureMatrix, nFeatures: number): number {
  if (Array.isArray(X)) {
    if (X.length !== nFeatures)
      throw new RangeError(`the model has ${nFeatures} features, the matrix ${X.length} columns`);
    return X.length === 0 ? 0 : X[0]!.length;
  }
  if (X.length % nFeatures !== 0)
    throw new RangeError(`row-major matrix of length ${X.length} is not a multiple of ${nFeatures} features`);
  return X.length / nFeatures;
}

/** Rows per block: a block walks every tree before the next block, keeping nodes cache-warm. */
const BLOCK = 256;

/**
 * The prediction kernel's view of a compiled forest: leaves loop onto themselves (feature 0,
 * threshold +∞), so every row takes exactly `depth[t]` steps in tree t with no leaf test, and
 * the child is picked by arithmetic instead of a branch: child[2·node + goRight].
 */
interface Kernel {
  feature: Int32Array;
  threshold: Float64Array;
  child: Int32Array;
  /** 1 when a missing value goes right. */
  missingRight: Int32Array;
  depth: Int32Array;
}

const kernels = new WeakMap<CompiledForest, Kernel>();

function kernelOf(cf: CompiledForest): Kernel {
  const cached = kernels.get(cf);
  if (cached) return cached;
  const size = cf.feature.length;
  const feature = new Int32Array(size);
  const threshold = new Float64Array(size);
  const child = new Int32Array(2 * size);
  const missingRight = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    if (cf.feature[i]! >= 0) {
      feature[i] = cf.feature[i]!;
      threshold[i] = cf.threshold[i]!;
      child[2 * i] = cf.left[i]!;
      child[2 * i + 1] = cf.right[i]!;
      missingRight[i] = cf.missingLeft[i] ? 0 : 1;
    } else {
      threshold[i] = Infinity;
      child[2 * i] = i;
      child[2 * i + 1] = i;
    }
  }
  const depth = new Int32Array(cf.nTrees);
  const stack: number[] = [];
  for (let t = 0; t < cf.nTrees; t++) {
    let max = 0;
    stack.push(cf.roots[t]!, 0);
    while (stack.length > 0) {
      const dd = stack.pop()!;
      const node = stack.pop()!;
      if (cf.feature[node]! < 0) max = Math.max(max, dd);
      else stack.push(cf.left[node]!, dd + 1, cf.right[node]!, dd + 1);
    }
    depth[t] = max;
  }
  const kernel = { feature, threshold, child, missingRight, depth };
  kernels.set(cf, kernel);
  return kernel;
}

/** Leaves of rows [r0, r1) in the tree rooted at `root` into leaves[0 .. r1-r0), row-major X. */
function walkRows(
  k: Kernel,
  X: Float64Array,
  d: number,
  r0: number,
  r1: number,
  root: number,
  steps: number,
  leaves: Int32Array,
): void {
  const { feature, threshold, child, missingRight } = k;
  let r = r0;
  // Four rows at once: independent chains of loads keep the CPU busy while each one waits.
  for (; r + 4 <= r1; r += 4) {
    const b0 = r * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    for (let s = 0; s < steps; s++) {
      const v0 = X[b0 + feature[n0]!]!;
      const v1 = X[b1 + feature[n1]!]!;
      const v2 = X[b2 + feature[n2]!]!;
      const v3 = X[b3 + feature[n3]!]!;
      n0 = child[2 * n0 + (+(v0 > threshold[n0]!) | (+(v0 !== v0) & missingRight[n0]!))]!;
      n1 = child[2 * n1 + (+(v1 > threshold[n1]!) | (+(v1 !== v1) & missingRight[n1]!))]!;
      n2 = child[2 * n2 + (+(v2 > threshold[n2]!) | (+(v2 !== v2) & missingRight[n2]!))]!;
      n3 = child[2 * n3 + (+(v3 > threshold[n3]!) | (+(v3 !== v3) & missingRight[n3]!))]!;
    }
    const o = r - r0;
    leaves[o] = n0;
    leaves[o + 1] = n1;
    leaves[o + 2] = n2;
    leaves[o + 3] = n3;
  }
  for (; r < r1; r++) {
    const b0 = r * d;
    let n0 = root;
    for (let s = 0; s < steps; s++) {
      const v0 = X[b0 + feature[n0]!]!;
      n0 = child[2 * n0 + (+(v0 > threshold[n0]!) | (+(v0 !== v0) & missingRight[n0]!))]!;
    }
    leaves[r - r0] = n0;
  }
}

/** As walkRows, for one column per feature. */
function walkColumns(
  k: Kernel,
  cols: Float64Array[],
  r0: number,
  r1: number,
  root: number,
  steps: number,
  leaves: Int32Array,
): void {
  const { feature, threshold, child, missingRight } = k;
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    for (let s = 0; s < steps; s++) {
      const v0 = cols[feature[n0]!]![r]!;
      const v1 = cols[feature[n1]!]![r + 1]!;
      const v2 = cols[feature[n2]!]![r + 2]!;
      const v3 = cols[feature[n3]!]![r + 3]!;
      n0 = child[2 * n0 + (+(v0 > threshold[n0]!) | (+(v0 !== v0) & missingRight[n0]!))]!;
      n1 = child[2 * n1 + (+(v1 > threshold[n1]!) | (+(v1 !== v1) & missingRight[n1]!))]!;
      n2 = child[2 * n2 + (+(v2 > threshold[n2]!) | (+(v2 !== v2) & missingRight[n2]!))]!;
      n3 = child[2 * n3 + (+(v3 > threshold[n3]!) | (+(v3 !== v3) & missingRight[n3]!))]!;
    }
    const o = r - r0;
    leaves[o] = n0;
    leaves[o + 1] = n1;
    leaves[o + 2] = n2;
    leaves[o + 3] = n3;
  }
  for (; r < r1; r++) {
    let n0 = root;
    for (let s = 0; s < steps; s++) {
      const v0 = cols[feature[n0]!]![r]!;
      n0 = child[2 * n0 + (+(v0 > threshold[n0]!) | (+(v0 !== v0) & missingRight[n0]!))]!;
    }
    leaves[r - r0] = n0;
  }
}

/**
 * Scores every row: the mean of the trees' leaf values ('mean' forests), or the majority class
 * label ('vote' forests, ties resolved like ml-random-forest: the class that first reached the
 * winning count in tree order). Accepts a row-major `Float64Array` or one column per feature.
 * Each row's arithmetic runs over the trees in order whatever the blocking, so any split of the
 * rows (threads, chunks) gives bit-identical numbers.
 *
 * @example
 * predictCompiled(cf, Float64Array.from([0.1, 2, NaN, 0.4, 1, 3])); // 2 rows of 3 features
 */
export function predictCompiled(cf: CompiledForest, X: FeatureMatrix, out?: Float64Array): Float64Array {
  const n = rowCount(X, cf.nFeatures);
  const result = out ?? new Float64Array(n);
  if (result.length < n) throw new RangeError(`output has ${result.length} slots for ${n} rows`);
  const k = kernelOf(cf);
  const value = cf.value;
  const nTrees = cf.nTrees;
  const leaves = new Int32Array(BLOCK);
  const vote = cf.aggregate === 'vote';
  const blockLeaves = vote ? new Int32Array(BLOCK * nTrees) : leaves;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    if (!vote) result.fill(0, r0, r1);
    for (let t = 0; t < nTrees; t++) {
      const target = vote ? blockLeaves.subarray(t * BLOCK, (t + 1) * BLOCK) : leaves;
      if (Array.isArray(X)) walkColumns(k, X, r0, r1, cf.roots[t]!, k.depth[t]!, target);
      else walkRows(k, X, cf.nFeatures, r0, r1, cf.roots[t]!, k.depth[t]!, target);
      if (!vote) for (let r = r0; r < r1; r++) result[r]! += value[leaves[r - r0]!]!;
    }
    if (vote) tallyVotes(value, blockLeaves, nTrees, r0, r1, result);
    else for (let r = r0; r < r1; r++) result[r]! /= nTrees;
  }
  return result;
}

/** Majority label per row, ml-random-forest's arrayMode: the first label to reach the top count wins. */
function tallyVotes(
  value: Float64Array,
  blockLeaves: Int32Array,
  nTrees: number,
  r0: number,
  r1: number,
  out: Float64Array,
): void {
  const counts = new Map<number, number>();
  for (let r = r0; r < r1; r++) {
    counts.clear();
    let best = 0;
    let bestCount = 0;
    for (let t = 0; t < nTrees; t++) {
      const label = value[blockLeaves[t * BLOCK + (r - r0)]!]!;
      const c = (counts.get(label) ?? 0) + 1;
      counts.set(label, c);
      if (c > bestCount) {
        bestCount = c;
        best = label;
      }
    }
    out[r] = best;
  }
}

/** Leaf index reached by row r in the tree rooted at `root` (the plain walk, for explanations). */
function leafOf(cf: CompiledForest, X: FeatureMatrix, r: number, root: number): number {
  const { feature, threshold, left, right, missingLeft } = cf;
  const cols = Array.isArray(X) ? X : null;
  const base = r * cf.nFeatures;
  let node = root;
  let f = feature[node]!;
  while (f >= 0) {
    const v = cols ? cols[f]![r]! : (X as Float64Array)[base + f]!;
    node = v <= threshold[node]! || (v !== v && missingLeft[node] === 1) ? left[node]! : right[node]!;
    f = feature[node]!;
  }
  return node;
}

/**
 * Leaf reached by each row in each tree (n × trees, row-major): the evidence behind a score,
 * for explanations.
 *
 * @example
 * const leaves = predictLeaves(cf, X); // leaves[r * cf.nTrees + t]
 */
export function predictLeaves(cf: CompiledForest, X: FeatureMatrix): Int32Array {
  const n = rowCount(X, cf.nFeatures);
  const out = new Int32Array(n * cf.nTrees);
  for (let r = 0; r < n; r++)
    for (let t = 0; t < cf.nTrees; t++) out[r * cf.nTrees + t] = leafOf(cf, X, r, cf.roots[t]!);
  return out;
}
