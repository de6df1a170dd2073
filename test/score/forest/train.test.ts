import { describe, expect, it } from 'vitest';
import { makeClassification, toColumns } from '../../../bench/lib/data.js';
import { ConfigError } from '../../../engine/errors.js';
import { compileForest, predictCompiled } from '../../../engine/score/forest/compile.js';
import { auc } from '../../../engine/score/forest/metrics.js';
import { serializeForest } from '../../../engine/score/forest/model.js';
import { createRng } from '../../../engine/score/forest/random.js';
import {
  featureEdges,
  featuresPerSplit,
  predictForest,
  quantise,
  trainForest,
} from '../../../engine/score/forest/train.js';

const meta = (d: number) => ({
  featureNames: Array.from({ length: d }, (_, i) => `f${i}`),
  dataHash: 'sha256:test',
  configHash: 'cfg',
  createdAt: '2025-01-01T00:00:00Z',
});

/** Two informative features and two noise features; label = x0 + x1 > 1 exactly. */
function separable(n: number, seed: number) {
  const rng = createRng(seed);
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.nextFloat();
    y[i] = cols[0]![i]! + cols[1]![i]! > 1 ? 1 : 0;
  }
  return { cols, y };
}

describe('featureEdges', () => {
  it.each([
    { values: [1, 2, 2, 4, NaN], maxBins: 255, expected: [1.5, 3] },
    { values: [5, 5, 5], maxBins: 255, expected: [] },
    { values: [NaN, NaN], maxBins: 255, expected: [] },
    { values: [-1, 0, 1, 2, 3, 4, 5, 6], maxBins: 4, expected: [0.5, 2.5, 4.5] },
    { values: [0, 0, 0, 0, 0, 0, 1, 2, 3], maxBins: 3, expected: [0.5, 2.5] },
    { values: [-Infinity, 0, Infinity], maxBins: 255, expected: [-Infinity, 0] },
  ])('edges of $values in ≤ $maxBins bins', ({ values, maxBins, expected }) => {
    const edges = featureEdges(Float64Array.from(values), maxBins);
    expect(Array.from(edges)).toEqual(expected);
    expect(edges.length + 1).toBeLessThanOrEqual(maxBins);
  });

  it('caps 10,000 distinct values at the requested number of bins, every bin non-empty', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 100);
    const binned = quantise([values], 256);
    expect(binned.nBins[0]).toBe(255);
    const counts = new Int32Array(256);
    for (const b of binned.columns[0]!) counts[b]!++;
    expect(Array.from(counts.subarray(0, 255)).every((c) => c > 0)).toBe(true);
    expect(counts[255]).toBe(0);
  });

  it('puts NaN in its own bin after the value bins', () => {
    const binned = quantise([Float64Array.from([0.1, NaN, 0.7])], 256);
    expect(Array.from(binned.columns[0]!)).toEqual([0, 2, 1]);
  });
});

describe('featuresPerSplit', () => {
  it.each([
    { maxFeatures: 'sqrt' as const, d: 20, expected: 4 },
    { maxFeatures: 'sqrt' as const, d: 1, expected: 1 },
    { maxFeatures: 0.5, d: 9, expected: 4 },
    { maxFeatures: 30, d: 9, expected: 9 },
  ])('$maxFeatures of $d features → $expected', ({ maxFeatures, d, expected }) => {
    expect(featuresPerSplit(maxFeatures, d)).toBe(expected);
  });
});

describe('trainForest', () => {
  const data = makeClassification({ rows: 3000, features: 8, seed: 11 });
  const opts = { trees: 20, maxDepth: 8, seed: 5 };

  it('gives the same model for the same seed, a different one for another seed', () => {
    const a = serializeForest(trainForest(data.X, data.y, opts), meta(8));
    const b = serializeForest(trainForest(data.X, data.y, opts), meta(8));
    const c = serializeForest(trainForest(data.X, data.y, { ...opts, seed: 6 }), meta(8));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('gives the same model from row-major and columnar input', () => {
    const a = serializeForest(trainForest(data.X, data.y, opts), meta(8));
    const b = serializeForest(trainForest(toColumns(data.X, data.rows, 8), data.y, opts), meta(8));
    expect(b).toBe(a);
  });

  it('learns a separable rule (test AUC > 0.95)', () => {
    const train = separable(2000, 1);
    const test = separable(2000, 2);
    const forest = trainForest(train.cols, train.y, { trees: 30, maxDepth: 10, seed: 3 });
    expect(auc(predictCompiled(compileForest(forest), test.cols), test.y)).toBeGreaterThan(0.95);
  });

  it('respects maxDepth and minSamplesLeaf', () => {
    const forest = trainForest(data.X, data.y, { trees: 5, maxDepth: 3, minSamplesLeaf: 50, seed: 1 });
    for (const tree of forest.trees) {
      const depth = new Int32Array(tree.feature.length);
      for (let i = 0; i < tree.feature.length; i++) {
        if (tree.feature[i]! >= 0) {
          depth[tree.left[i]!] = depth[i]! + 1;
          depth[tree.right[i]!] = depth[i]! + 1;
        } else expect(tree.samples[i]).toBeGreaterThanOrEqual(50);
      }
      expect(Math.max(...depth)).toBeLessThanOrEqual(3);
    }
  });

  it('changes the fit when sample weights change, and follows heavily weighted rows', () => {
    // Left of x0 = 0.5 the label is a coin flip; weighting its positives ×5 must pull scores there to ≈ 5/6.
    const rng = createRng(4);
    const n = 2000;
    const cols = [0, 1].map(() => new Float64Array(n));
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      cols[0]![i] = rng.nextFloat();
      cols[1]![i] = rng.nextFloat();
      y[i] = cols[0]![i]! < 0.5 ? (rng.nextFloat() < 0.5 ? 1 : 0) : cols[1]![i]! > 0.5 ? 1 : 0;
    }
    const weights = Float64Array.from(y, (v, i) => (cols[0]![i]! < 0.5 && v === 1 ? 5 : 1));
    const base = { trees: 30, maxDepth: 4, minSamplesLeaf: 20, seed: 9, maxFeatures: 2 };
    const plain = trainForest(cols, y, base);
    const weighted = trainForest(cols, y, { ...base, sampleWeight: weights });
    expect(serializeForest(weighted, meta(2))).not.toBe(serializeForest(plain, meta(2)));
    const probe = [Float64Array.from([0.25, 0.75]), Float64Array.from([0.5, 0.75])];
    const pPlain = predictForest(plain, probe);
    const pWeighted = predictForest(weighted, probe);
    expect(pPlain[0]).toBeGreaterThan(0.35);
    expect(pPlain[0]).toBeLessThan(0.65);
    expect(pWeighted[0]).toBeGreaterThan(0.75);
    // Outside the reweighted region the rule is untouched.
    expect(pWeighted[1]).toBeGreaterThan(0.9);
    expect(weighted.options.weighted).toBe(true);
  });

  it('learns from missingness: NaN in x0 means positive', () => {
    const rng = createRng(21);
    const n = 1500;
    const x0 = new Float64Array(n);
    const x1 = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const missing = rng.nextFloat() < 0.3;
      x0[i] = missing ? NaN : rng.nextFloat();
      x1[i] = rng.nextFloat();
      y[i] = missing ? 1 : 0;
    }
    const forest = trainForest([x0, x1], y, { trees: 10, maxDepth: 4, seed: 2, maxFeatures: 2 });
    const p = predictCompiled(compileForest(forest), [
      Float64Array.from([NaN, 0.5, 0.01]),
      Float64Array.from([0.5, 0.5, 0.99]),
    ]);
    expect(p[0]).toBeGreaterThan(0.99);
    expect(p[1]).toBeLessThan(0.01);
    expect(p[2]).toBeLessThan(0.01);
  });

  it('sends missing values to the side that gains more', () => {
    // x0 separates y perfectly when present; missing rows are all positive like x0 > 0.5 rows.
    const rng = createRng(8);
    const n = 800;
    const x0 = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = rng.nextFloat();
      y[i] = v > 0.5 ? 1 : 0;
      x0[i] = i % 5 === 0 && y[i] === 1 ? NaN : v;
    }
    const forest = trainForest([x0], y, { trees: 1, maxDepth: 1, seed: 1, bootstrap: false, maxFeatures: 1 });
    const root = forest.trees[0]!;
    expect(root.feature[0]).toBe(0);
    expect(root.threshold[0]).toBeGreaterThan(0.49);
    expect(root.threshold[0]).toBeLessThan(0.51);
    expect(root.missingLeft[0]).toBe(0);
    expect(root.value[root.right[0]!]).toBe(1);
  });

  it('reports every bad option at once', () => {
    const bad = () => trainForest(data.X, data.y, { trees: 0, bins: 300, maxDepth: -1, seed: 1.5 });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/4 config problem/);
  });
});
