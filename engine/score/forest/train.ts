/**
 * Histogram random-forest trainer (binary classification, weighted Gini).
 *
 * Features are quantised once into ≤ 255 value bins plus a missing bin; each tree draws a seeded
 * bootstrap, and each split scans per-bin weighted histograms of the features drawn for it. The
 * larger child of a split gets a feature's histogram by subtracting its sibling's from its
 * parent's when the parent already holds it. Tree i only depends on (seed, i), so trees can be
 * trained in any order or in any worker and the forest is the same.
 */
import { ConfigError } from '../../errors.js';
import { createRng, type Rng } from './random.js';
import type { BinnedMatrix, FeatureMatrix, Forest, ForestTree, TrainOptions } from './types.js';

export type { BinnedMatrix, FeatureMatrix, Forest, ForestTree, TrainOptions } from './types.js';

/** Defaults matching scikit-learn's RandomForestClassifier where they overlap. */
export const defaultTrainOptions: Omit<TrainOptions, 'seed'> = {
  trees: 100,
  maxDepth: 10,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  bins: 256,
  bootstrap: true,
};

const HIST_STRIDE = 256;

/**
 * Number of rows and features of a matrix; `nRows` is needed for a row-major matrix.
 *
 * @example
 * matrixShape([new Float64Array(3), new Float64Array(3)]); // { nRows: 3, nFeatures: 2 }
 */
export function matrixShape(X: FeatureMatrix, nRows?: number): { nRows: number; nFeatures: number } {
  if (Array.isArray(X)) {
    const n = X.length === 0 ? (nRows ?? 0) : X[0]!.length;
    for (const [f, col] of X.entries()) {
      if (col.length !== n) throw new RangeError(`feature column ${f} has ${col.length} rows, expected ${n}`);
    }
    return { nRows: n, nFeatures: X.length };
  }
  if (nRows === undefined || nRows <= 0) throw new RangeError('a row-major matrix needs its row count');
  if (X.length % nRows !== 0)
    throw new RangeError(`row-major matrix of length ${X.length} is not a multiple of ${nRows} rows`);
  return { nRows, nFeatures: X.length / nRows };
}

/** Column f of a matrix (a copy when the matrix is row-major). */
function column(X: FeatureMatrix, f: number, nRows: number, nFeatures: number): Float64Array {
  if (Array.isArray(X)) return X[f]!;
  const out = new Float64Array(nRows);
  for (let i = 0, k = f; i < nRows; i++, k += nFeatures) out[i] = X[k]!;
  return out;
}

/**
 * Bin edges for one feature: distinct values each get a bin while there are at most `maxBins`;
 * beyond that, edges fall at (weighted-by-count) quantiles. Edges sit halfway between
 * neighbouring distinct values, so every training value is strictly on one side.
 *
 * @example
 * featureEdges(Float64Array.from([1, 2, 2, 4, NaN]), 255); // Float64Array [1.5, 3]
 */
export function featureEdges(values: Float64Array, maxBins: number): Float64Array {
  let m = 0;
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) sorted[m++] = v;
  }
  const present = sorted.subarray(0, m).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    const v = present[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const edges: number[] = [];
  const push = (a: number, b: number) => {
    let mid = a / 2 + b / 2;
    if (!(mid < b)) mid = a;
    if (!(mid >= a)) mid = a;
    if (edges.length === 0 || mid > edges[edges.length - 1]!) edges.push(mid);
  };
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) push(distinct[i - 1]!, distinct[i]!);
  } else {
    // Close a bin once it holds its share of the rows still to place, so heavy values
    // (many zeros, say) take one bin and the rest spread evenly.
    let cum = 0;
    let placed = 0;
    let binsLeft = maxBins;
    for (let i = 0; i < distinct.length - 1 && binsLeft > 1; i++) {
      cum += counts[i]!;
      const share = (m - placed) / binsLeft;
      if (cum - placed >= share || distinct.length - 1 - i < binsLeft) {
        push(distinct[i]!, distinct[i + 1]!);
        placed = cum;
        binsLeft--;
      }
    }
  }
  return Float64Array.from(edges);
}

/** Bin of a value: the first edge it does not exceed (edges.length when above all of them). */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Quantises every feature into at most `bins - 1` value bins plus one missing bin.
 *
 * @example
 * const binned = quantise([Float64Array.from([0.1, 0.7, NaN])], 256);
 * binned.columns[0]; // Uint8Array [0, 1, 2]  (2 = missing)
 */
export function quantise(X: FeatureMatrix, bins: number, nRows?: number): BinnedMatrix {
  if (!(Number.isInteger(bins) && bins >= 2 && bins <= 256)) {
    throw new ConfigError('forest options', [`bins must be an integer in 2..256, got ${bins}`]);
  }
  const shape = matrixShape(X, nRows);
  const edges: Float64Array[] = [];
  for (let f = 0; f < shape.nFeatures; f++) {
    edges.push(featureEdges(column(X, f, shape.nRows, shape.nFeatures), bins - 1));
  }
  return binWithEdges(X, edges, shape.nRows);
}

/**
 * Bins a matrix with edges learnt earlier (by {@link quantise} or stored in a forest).
 *
 * @example
 * binWithEdges(Float64Array.from([0.2, 5]), [Float64Array.from([1])], 2).columns[0]; // [0, 1]
 */
export function binWithEdges(X: FeatureMatrix, edges: Float64Array[], nRows?: number): BinnedMatrix {
  const { nRows: n, nFeatures: d } = matrixShape(X, nRows);
  if (d !== edges.length) throw new RangeError(`matrix has ${d} features, the bin edges ${edges.length}`);
  const columns: Uint8Array[] = [];
  const nBins = new Int32Array(d);
  for (let f = 0; f < d; f++) {
    const e = edges[f]!;
    nBins[f] = e.length + 1;
    const missing = e.length + 1;
    const col = new Uint8Array(n);
    const values = column(X, f, n, d);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      col[i] = v === v ? binOf(e, v) : missing;
    }
    columns.push(col);
  }
  return { nRows: n, nFeatures: d, columns, edges, nBins };
}

/** Features tried per split for d features. */
export function featuresPerSplit(maxFeatures: TrainOptions['maxFeatures'], d: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures > 0 && maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * d));
  return Math.min(d, Math.max(1, Math.floor(maxFeatures)));
}

/** All option problems at once, as the config layer does. */
export function validateTrainOptions(opts: TrainOptions, nRows: number, nFeatures: number): void {
  const problems: string[] = [];
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v >= 1)) problems.push(`${name} must be a positive integer, got ${v}`);
  };
  positiveInt('trees', opts.trees);
  positiveInt('minSamplesLeaf', opts.minSamplesLeaf);
  if (!(Number.isInteger(opts.maxDepth) && opts.maxDepth >= 0))
    problems.push(`maxDepth must be an integer ≥ 0, got ${opts.maxDepth}`);
  if (!(Number.isInteger(opts.bins) && opts.bins >= 2 && opts.bins <= 256))
    problems.push(`bins must be an integer in 2..256, got ${opts.bins}`);
  if (
    opts.maxFeatures !== 'sqrt' &&
    !(opts.maxFeatures > 0 && (opts.maxFeatures < 1 || Number.isInteger(opts.maxFeatures)))
  ) {
    problems.push(`maxFeatures must be 'sqrt', an integer ≥ 1 or a fraction in (0, 1), got ${opts.maxFeatures}`);
  }
  if (!Number.isInteger(opts.seed)) problems.push(`seed must be an integer, got ${opts.seed}`);
  if (opts.sampleWeight && opts.sampleWeight.length !== nRows) {
    problems.push(`sampleWeight has ${opts.sampleWeight.length} entries for ${nRows} rows`);
  }
  if (opts.sampleWeight?.some((w) => !(w >= 0 && Number.isFinite(w))))
    problems.push('sampleWeight must be finite and ≥ 0');
  if (nRows < 2) problems.push(`need at least 2 training rows, got ${nRows}`);
  if (nFeatures < 1) problems.push('need at least 1 feature');
  if (problems.length > 0) throw new ConfigError('forest options', problems);
}

/** Growable node storage for one tree. */
class NodeBuffer {
  feature: number[] = [];
  splitBin: number[] = [];
  threshold: number[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];
  weight: number[] = [];
  samples: number[] = [];
  impurityDecrease: number[] = [];

  add(): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.splitBin.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.weight.push(0);
    this.samples.push(0);
    this.impurityDecrease.push(0);
    return id;
  }

  toTree(): ForestTree {
    return {
      feature: Int32Array.from(this.feature),
      splitBin: Int32Array.from(this.splitBin),
      threshold: Float64Array.from(this.threshold),
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      weight: Float64Array.from(this.weight),
      samples: Int32Array.from(this.samples),
      impurityDecrease: Float64Array.from(this.impurityDecrease),
    };
  }
}

/**
 * A node waiting to be split. Histograms are Float64Array(3 × 256): weights, positive weights,
 * row counts. `parentHists`/`sibling` let the larger child subtract instead of scanning rows.
 */
interface PendingNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  hists: Map<number, Float64Array>;
  parentHists: Map<number, Float64Array> | null;
  sibling: PendingNode | null;
}

/**
 * Trains tree `treeIndex` of a forest on binned data. Exposed for workers: training trees
 * [a, b) in one thread and [b, c) in another gives the same trees as one loop.
 *
 * @example
 * const tree = trainTree(quantise(cols, 256), y, null, { ...defaultTrainOptions, seed: 7 }, 0);
 */
export function trainTree(
  binned: BinnedMatrix,
  y: Uint8Array,
  sampleWeight: Float64Array | null,
  opts: TrainOptions,
  treeIndex: number,
): ForestTree {
  const n = binned.nRows;
  const d = binned.nFeatures;
  const rng = createRng(opts.seed, treeIndex);
  const mtry = featuresPerSplit(opts.maxFeatures, d);
  const minLeaf = opts.minSamplesLeaf;

  // Bootstrap as multiplicities folded into the row weights; zero-weight rows are left out.
  const w = new Float64Array(n);
  if (opts.bootstrap) {
    for (let i = 0; i < n; i++) w[rng.nextInt(n)]!++;
  } else w.fill(1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (sampleWeight) w[i]! *= sampleWeight[i]!;
    if (w[i]! > 0) m++;
  }
  const idx = new Int32Array(m);
  const pw = new Float64Array(n);
  for (let i = 0, k = 0; i < n; i++) {
    if (w[i]! > 0) {
      idx[k++] = i;
      pw[i] = y[i] ? w[i]! : 0;
    }
  }
  const scratch = new Int32Array(m);
  const perm = new Int32Array(d);
  for (let f = 0; f < d; f++) perm[f] = f;

  const pool: Float64Array[] = [];
  const acquire = (): Float64Array => pool.pop() ?? new Float64Array(3 * HIST_STRIDE);
  const releaseAll = (hists: Map<number, Float64Array> | null) => {
    if (!hists) return;
    for (const h of hists.values()) pool.push(h);
    hists.clear();
  };

  const histFromRows = (node: PendingNode, f: number): Float64Array => {
    const h = acquire();
    h.fill(0, 0, 3 * HIST_STRIDE);
    const col = binned.columns[f]!;
    for (let i = node.start; i < node.end; i++) {
      const r = idx[i]!;
      const b = col[r]!;
      h[b]! += w[r]!;
      h[HIST_STRIDE + b]! += pw[r]!;
      h[2 * HIST_STRIDE + b]!++;
    }
    return h;
  };

  const histOf = (node: PendingNode, f: number): Float64Array => {
    const cached = node.hists.get(f);
    if (cached) return cached;
    let h: Float64Array;
    const parent = node.parentHists?.get(f);
    const sib = node.sibling;
    if (parent && sib && sib.end - sib.start < node.end - node.start) {
      let s = sib.hists.get(f);
      if (!s) {
        s = histFromRows(sib, f);
        sib.hists.set(f, s);
      }
      h = acquire();
      const slots = binned.nBins[f]! + 1;
      for (let b = 0; b < slots; b++) {
        const c = parent[2 * HIST_STRIDE + b]! - s[2 * HIST_STRIDE + b]!;
        h[2 * HIST_STRIDE + b] = c;
        if (c === 0) {
          h[b] = 0;
          h[HIST_STRIDE + b] = 0;
        } else {
          const wb = parent[b]! - s[b]!;
          const pb = parent[HIST_STRIDE + b]! - s[HIST_STRIDE + b]!;
          h[b] = wb;
          // The trainer's inner loop, left as written (a change here is for the forest benchmark to judge).
          // biome-ignore lint/complexity/useMathMinMax: the trainer's inner loop, left as written
          h[HIST_STRIDE + b] = pb < 0 ? 0 : pb > wb ? wb : pb;
        }
      }
    } else h = histFromRows(node, f);
    node.hists.set(f, h);
    return h;
  };

  const nodes = new NodeBuffer();
  const stack: PendingNode[] = [
    { id: nodes.add(), start: 0, end: m, depth: 0, hists: new Map(), parentHists: null, sibling: null },
  ];

  while (stack.length > 0) {
    const node = stack.pop()!;
    const { id, start, end } = node;
    let W = 0;
    let P = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i]!;
      W += w[r]!;
      P += pw[r]!;
    }
    const count = end - start;
    nodes.value[id] = W > 0 ? P / W : 0;
    nodes.weight[id] = W;
    nodes.samples[id] = count;

    const splittable = node.depth < opts.maxDepth && count >= 2 * minLeaf && P > 0 && P < W;
    let bestScore = -Infinity;
    let bestFeature = -1;
    let bestBin = -1;
    let bestMissingLeft = 0;
    if (splittable) {
      let visited = 0;
      for (let i = 0; i < d && visited < mtry; i++) {
        const j = i + rng.nextInt(d - i);
        const f = perm[j]!;
        perm[j] = perm[i]!;
        perm[i] = f;
        const h = histOf(node, f);
        const nb = binned.nBins[f]!;
        const cMiss = h[2 * HIST_STRIDE + nb]!;
        const wMiss = h[nb]!;
        const pMiss = h[HIST_STRIDE + nb]!;
        // A feature with a single occupied bin in this node cannot split it and is not counted.
        let occupied = cMiss > 0 ? 1 : 0;
        let wl = 0;
        let pl = 0;
        let cl = 0;
        let lastOcc = -1;
        for (let b = 0; b < nb; b++) {
          const cb = h[2 * HIST_STRIDE + b]!;
          if (cb === 0) continue;
          occupied++;
          if (lastOcc >= 0) {
            const t = lastOcc + ((b - 1 - lastOcc) >> 1);
            // Missing right.
            if (cl >= minLeaf && count - cl >= minLeaf) {
              const wr = W - wl;
              const pr = P - pl;
              if (wl > 0 && wr > 0) {
                const nl = wl - pl;
                const nr = wr - pr;
                const s = (pl * pl + nl * nl) / wl + (pr * pr + nr * nr) / wr;
                if (s > bestScore) {
                  bestScore = s;
                  bestFeature = f;
                  bestBin = t;
                  bestMissingLeft = 0;
                }
              }
            }
            // Missing left.
            if (cMiss > 0) {
              const cl2 = cl + cMiss;
              if (cl2 >= minLeaf && count - cl2 >= minLeaf) {
                const wl2 = wl + wMiss;
                const pl2 = pl + pMiss;
                const wr = W - wl2;
                const pr = P - pl2;
                if (wl2 > 0 && wr > 0) {
                  const nl = wl2 - pl2;
                  const nr = wr - pr;
                  const s = (pl2 * pl2 + nl * nl) / wl2 + (pr * pr + nr * nr) / wr;
                  if (s > bestScore) {
                    bestScore = s;
                    bestFeature = f;
                    bestBin = t;
                    bestMissingLeft = 1;
                  }
                }
              }
            }
          }
          wl += h[b]!;
          pl += h[HIST_STRIDE + b]!;
          cl += cb;
          lastOcc = b;
        }
        // Present vs missing: every value bin left, missing right.
        if (cMiss > 0 && lastOcc >= 0 && cl >= minLeaf && cMiss >= minLeaf) {
          const wr = W - wl;
          const pr = P - pl;
          if (wl > 0 && wr > 0) {
            const nl = wl - pl;
            const nr = wr - pr;
            const s = (pl * pl + nl * nl) / wl + (pr * pr + nr * nr) / wr;
            if (s > bestScore) {
              bestScore = s;
              bestFeature = f;
              bestBin = nb - 1;
              bestMissingLeft = 0;
            }
          }
        }
        if (occupied >= 2) visited++;
      }
    }

    if (bestFeature < 0) {
      releaseAll(node.parentHists);
      releaseAll(node.hists);
      continue;
    }

    // Split: stable partition of the node's rows.
    const col = binned.columns[bestFeature]!;
    const missingBin = binned.nBins[bestFeature]!;
    let nl = start;
    let nr = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i]!;
      const b = col[r]!;
      const goLeft = b === missingBin ? bestMissingLeft === 1 : b <= bestBin;
      if (goLeft) idx[nl++] = r;
      else scratch[nr++] = r;
    }
    idx.set(scratch.subarray(0, nr), nl);

    const edges = binned.edges[bestFeature]!;
    nodes.feature[id] = bestFeature;
    nodes.splitBin[id] = bestBin;
    nodes.threshold[id] = bestBin < edges.length ? edges[bestBin]! : Infinity;
    nodes.missingLeft[id] = bestMissingLeft;
    nodes.impurityDecrease[id] = bestScore - (P * P + (W - P) * (W - P)) / W;
    const leftId = nodes.add();
    const rightId = nodes.add();
    nodes.left[id] = leftId;
    nodes.right[id] = rightId;

    // The larger child is searched first (top of the stack) while its sibling's rows and this
    // node's histograms are both at hand, so it can subtract; histograms it computes for the
    // sibling stay cached on the sibling. It releases this node's histograms when done.
    releaseAll(node.parentHists);
    const depth = node.depth + 1;
    const leftNode: PendingNode = {
      id: leftId,
      start,
      end: nl,
      depth,
      hists: new Map(),
      parentHists: null,
      sibling: null,
    };
    const rightNode: PendingNode = {
      id: rightId,
      start: nl,
      end,
      depth,
      hists: new Map(),
      parentHists: null,
      sibling: null,
    };
    const leftLarger = nl - start >= end - nl;
    const larger = leftLarger ? leftNode : rightNode;
    const smaller = leftLarger ? rightNode : leftNode;
    larger.parentHists = node.hists;
    larger.sibling = smaller;
    stack.push(smaller, larger);
  }
  return nodes.toTree();
}

/**
 * Trains a random forest for a 0/1 label.
 *
 * @example
 * const forest = trainForest(columns, labels, { ...defaultTrainOptions, trees: 50, seed: 42 });
 * predictForest(forest, columns); // Float64Array of positive shares, one per row
 */
export function trainForest(X: FeatureMatrix, y: Uint8Array, opts: Partial<TrainOptions> & { seed: number }): Forest {
  const options: TrainOptions = { ...defaultTrainOptions, ...opts };
  const { nRows, nFeatures } = matrixShape(X, y.length);
  if (nRows !== y.length) throw new RangeError(`matrix has ${nRows} rows, labels ${y.length}`);
  validateTrainOptions(options, nRows, nFeatures);
  const binned = quantise(X, options.bins, nRows);
  const trees: ForestTree[] = [];
  for (let t = 0; t < options.trees; t++) trees.push(trainTree(binned, y, options.sampleWeight ?? null, options, t));
  return assembleForest(binned, y, options, trees);
}

/** Wraps trained trees with the bin edges and training facts into a {@link Forest}. */
export function assembleForest(
  binned: BinnedMatrix,
  y: Uint8Array,
  options: TrainOptions,
  trees: ForestTree[],
): Forest {
  let positives = 0;
  for (let i = 0; i < y.length; i++) if (y[i]) positives++;
  const { sampleWeight, ...rest } = options;
  return {
    nFeatures: binned.nFeatures,
    edges: binned.edges,
    nBins: binned.nBins,
    trees,
    options: { ...rest, weighted: sampleWeight !== undefined },
    rows: binned.nRows,
    positives,
  };
}

/**
 * Predicts with the uncompiled forest by binning rows with the forest's edges and walking the
 * split bins. Slower than the compiled predictor; it exists as the reference the compiler is
 * checked against.
 *
 * @example
 * predictForest(forest, Float64Array.from([0.3, 1.2]), 1); // one row of two features
 */
export function predictForest(forest: Forest, X: FeatureMatrix, nRows?: number): Float64Array {
  const binned = binWithEdges(X, forest.edges, nRows);
  const n = binned.nRows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const tree of forest.trees) {
      let node = 0;
      while (tree.feature[node]! >= 0) {
        const f = tree.feature[node]!;
        const b = binned.columns[f]![i]!;
        const goLeft = b === binned.nBins[f]! ? tree.missingLeft[node] === 1 : b <= tree.splitBin[node]!;
        node = goLeft ? tree.left[node]! : tree.right[node]!;
      }
      sum += tree.value[node]!;
    }
    out[i] = sum / forest.trees.length;
  }
  return out;
}

export type { Rng };
