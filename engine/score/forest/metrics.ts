/**
 * Ranking metrics, seeded cross-validation and score calibration for the forest.
 */
import { compileForest, predictCompiled } from './compile.js';
import { createRng, shuffleInPlace } from './random.js';
import { matrixShape, trainForest } from './train.js';
import type { CalibrationParams, FeatureMatrix, TrainOptions } from './types.js';

/** Row indices sorted by score descending; ties keep row order, so results are deterministic. */
function orderByScoreDesc(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order;
}

/**
 * Area under the ROC curve: the (weighted) probability that a random positive scores above a
 * random negative, ties counting one half. NaN when either class is absent.
 *
 * @example
 * auc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]); // 0.75
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n || (weights && weights.length !== n))
    throw new RangeError('auc: scores, labels and weights differ in length');
  const order = orderByScoreDesc(scores);
  let posTotal = 0;
  let negTotal = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (labels[i]) posTotal += w;
    else negTotal += w;
  }
  if (posTotal === 0 || negTotal === 0) return NaN;
  // Walk from the top; each tie group adds (positives in group) × (negatives below + half the group's negatives).
  let negAbove = 0;
  let sum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let gp = 0;
    let gn = 0;
    const s = scores[order[i]!]!;
    while (j < n && scores[order[j]!]! === s) {
      const r = order[j]!;
      const w = weights ? weights[r]! : 1;
      if (labels[r]) gp += w;
      else gn += w;
      j++;
    }
    const negBelow = negTotal - negAbove - gn;
    sum += gp * (negBelow + gn / 2);
    negAbove += gn;
    i = j;
  }
  return sum / (posTotal * negTotal);
}

/**
 * Share of positives among the k highest scores (ties broken by row order).
 *
 * @example
 * precisionAtK([0.9, 0.8, 0.3], [1, 0, 1], 2); // 0.5
 */
export function precisionAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  if (labels.length !== scores.length) throw new RangeError('precisionAtK: scores and labels differ in length');
  const top = Math.min(k, scores.length);
  if (top <= 0) return NaN;
  const order = orderByScoreDesc(scores);
  let hits = 0;
  for (let i = 0; i < top; i++) if (labels[order[i]!]) hits++;
  return hits / top;
}

/** Out-of-fold results of {@link crossValidate}. */
export interface CrossValidation {
  /** Score of each row from the model that did not see it. */
  oof: Float64Array;
  /** Fold number of each row. */
  folds: Int32Array;
  /** AUC of all out-of-fold scores together (weighted when the options carry weights). */
  auc: number;
  foldAuc: number[];
}

/**
 * Seeded, stratified k-fold cross-validation of {@link trainForest}.
 *
 * @example
 * const cv = crossValidate(columns, y, { trees: 50, seed: 1 }, 5);
 * const cal = calibrate(cv.oof, y, { method: 'isotonic' });
 */
export function crossValidate(
  X: FeatureMatrix,
  y: Uint8Array,
  opts: Partial<TrainOptions> & { seed: number },
  k: number,
): CrossValidation {
  const { nRows: n, nFeatures: d } = matrixShape(X, y.length);
  if (!(Number.isInteger(k) && k >= 2 && k <= n))
    throw new RangeError(`crossValidate: k must be an integer in 2..${n}, got ${k}`);
  const rng = createRng(opts.seed, 0xcf01d);
  const folds = new Int32Array(n);
  // Stratify: deal shuffled positives, then shuffled negatives, round-robin across folds.
  let next = 0;
  for (const cls of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if ((y[i] ? 1 : 0) === cls) members.push(i);
    const arr = shuffleInPlace(Int32Array.from(members), rng);
    for (const r of arr) folds[r] = next++ % k;
  }
  const columns = Array.isArray(X) ? X : toColumnsOf(X, n, d);
  const oof = new Float64Array(n);
  const foldAuc: number[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === fold ? test : train).push(i);
    const pick = (rows: number[]) => columns.map((c) => Float64Array.from(rows, (r) => c[r]!));
    const sw = opts.sampleWeight;
    const forest = trainForest(
      pick(train),
      Uint8Array.from(train, (r) => y[r]!),
      {
        ...opts,
        seed: opts.seed + fold,
        sampleWeight: sw ? Float64Array.from(train, (r) => sw[r]!) : undefined,
      },
    );
    const scores = predictCompiled(compileForest(forest), pick(test));
    test.forEach((r, i) => (oof[r] = scores[i]!));
    foldAuc.push(
      auc(
        scores,
        Uint8Array.from(test, (r) => y[r]!),
        sw ? Float64Array.from(test, (r) => sw[r]!) : undefined,
      ),
    );
  }
  return { oof, folds, auc: auc(oof, y, opts.sampleWeight), foldAuc };
}

function toColumnsOf(X: Float64Array, n: number, d: number): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let f = 0; f < d; f++) {
    const c = new Float64Array(n);
    for (let i = 0, k = f; i < n; i++, k += d) c[i] = X[k]!;
    cols.push(c);
  }
  return cols;
}

/** A fitted calibration: its parameters (to store in the model) and the mapping itself. */
export interface Calibrator {
  params: CalibrationParams;
  apply(score: number): number;
}

/**
 * Fits a map from raw scores to probabilities on out-of-fold scores: 'isotonic' (weighted pool
 * adjacent violators, linear between fitted points, flat outside) or 'platt' (logistic on the
 * score, with Platt's smoothed targets). Both are monotone in the score.
 *
 * @example
 * const cal = calibrate(cv.oof, y, { method: 'platt' });
 * cal.apply(0.4); // a probability
 * calibrator(cal.params).apply(0.4); // the same, rebuilt from stored parameters
 */
export function calibrate(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  opts: { method: 'isotonic' | 'platt'; weights?: ArrayLike<number> },
): Calibrator {
  if (scores.length !== labels.length || scores.length === 0)
    throw new RangeError('calibrate: need equal, non-empty scores and labels');
  const params =
    opts.method === 'platt' ? fitPlatt(scores, labels, opts.weights) : fitIsotonic(scores, labels, opts.weights);
  return calibrator(params);
}

/** Rebuilds a calibrator from stored parameters. */
export function calibrator(params: CalibrationParams): Calibrator {
  if (params.method === 'platt') {
    const { a, b } = params;
    return { params, apply: (s) => 1 / (1 + Math.exp(-(a * s + b))) };
  }
  const { x, y } = params;
  return {
    params,
    apply(s: number): number {
      if (s <= x[0]!) return y[0]!;
      const last = x.length - 1;
      if (s >= x[last]!) return y[last]!;
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid]! <= s) lo = mid;
        else hi = mid;
      }
      const t = (s - x[lo]!) / (x[hi]! - x[lo]!);
      return y[lo]! + t * (y[hi]! - y[lo]!);
    },
  };
}

function fitIsotonic(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): CalibrationParams {
  const order = orderByScoreDesc(scores).reverse();
  // Pool ties first: one point per distinct score.
  const xs: number[] = [];
  const means: number[] = [];
  const ws: number[] = [];
  for (const r of order) {
    const w = weights ? weights[r]! : 1;
    if (!(w > 0)) continue;
    const s = scores[r]!;
    const yv = labels[r] ? 1 : 0;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === s) {
      means[last] = (means[last]! * ws[last]! + yv * w) / (ws[last]! + w);
      ws[last]! += w;
    } else {
      xs.push(s);
      means.push(yv);
      ws.push(w);
    }
  }
  if (xs.length === 0) throw new RangeError('calibrate: all weights are zero');
  // Pool adjacent violators over blocks [start, end].
  const bStart: number[] = [];
  const bEnd: number[] = [];
  const bMean: number[] = [];
  const bW: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    bStart.push(i);
    bEnd.push(i);
    bMean.push(means[i]!);
    bW.push(ws[i]!);
    while (bMean.length > 1 && bMean[bMean.length - 2]! >= bMean[bMean.length - 1]!) {
      const m2 = bMean.pop()!;
      const w2 = bW.pop()!;
      const e2 = bEnd.pop()!;
      bStart.pop();
      const k = bMean.length - 1;
      bMean[k] = (bMean[k]! * bW[k]! + m2 * w2) / (bW[k]! + w2);
      bW[k]! += w2;
      bEnd[k] = e2;
    }
  }
  // Keep each block's first and last score: interpolation then runs flat inside a block.
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < bMean.length; k++) {
    x.push(xs[bStart[k]!]!);
    y.push(bMean[k]!);
    if (bEnd[k]! !== bStart[k]!) {
      x.push(xs[bEnd[k]!]!);
      y.push(bMean[k]!);
    }
  }
  return { method: 'isotonic', x, y };
}

function fitPlatt(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): CalibrationParams {
  const n = scores.length;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (labels[i]) pos += w;
    else neg += w;
  }
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  // Newton's method with backtracking on the logistic loss (Lin, Lin & Weng 2007), p = σ(a·s + b).
  let a = 0;
  let b = Math.log((pos + 1) / (neg + 1));
  const loss = (a_: number, b_: number) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      const t = labels[i] ? hi : lo;
      const z = a_ * scores[i]! + b_;
      // t·log σ(z) + (1 − t)·log(1 − σ(z)), computed stably.
      l += w * (z >= 0 ? (1 - t) * z + Math.log1p(Math.exp(-z)) : -t * z + Math.log1p(Math.exp(z)));
    }
    return l;
  };
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-12;
    let hAB = 0;
    let hBB = 1e-12;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      const t = labels[i] ? hi : lo;
      const s = scores[i]!;
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const g = w * (p - t);
      const h = w * p * (1 - p);
      gA += g * s;
      gB += g;
      hAA += h * s * s;
      hAB += h * s;
      hBB += h;
    }
    if (Math.abs(gA) < 1e-10 && Math.abs(gB) < 1e-10) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(-hAB * gA + hAA * gB) / det;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const next = loss(a + step * dA, b + step * dB);
      if (next < current) {
        a += step * dA;
        b += step * dB;
        improved = current - next > 1e-12 * Math.abs(current);
        current = next;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { method: 'platt', a, b };
}
