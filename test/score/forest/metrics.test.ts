import { describe, expect, it } from 'vitest';
import { makeClassification } from '../../../bench/lib/data.js';
import { auc, calibrate, calibrator, crossValidate, precisionAtK } from '../../../engine/score/forest/metrics.js';
import { createRng } from '../../../engine/score/forest/random.js';

describe('auc', () => {
  // Hand-computed: count (positive, negative) pairs ordered correctly, ties = ½.
  it.each([
    { scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 0, 1, 0], expected: 3 / 4 },
    { scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 1, 0, 0], expected: 1 },
    { scores: [0.1, 0.2, 0.3, 0.4], labels: [1, 1, 0, 0], expected: 0 },
    { scores: [0.5, 0.5, 0.5, 0.5], labels: [1, 0, 1, 0], expected: 0.5 },
    { scores: [0.7, 0.5, 0.5, 0.2], labels: [1, 1, 0, 0], expected: (2 + 1 + 0.5) / 4 },
    { scores: [3, 1, 2, 2, 0], labels: [1, 0, 1, 0, 0], expected: (3 + 2.5) / 6 },
  ])('auc($scores, $labels) = $expected', ({ scores, labels, expected }) => {
    expect(auc(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('is NaN when a class is absent', () => {
    expect(auc([0.2, 0.9], [1, 1])).toBeNaN();
  });

  it('counts weights as repeated rows', () => {
    const scores = [0.9, 0.8, 0.3, 0.1];
    const labels = [1, 0, 1, 0];
    const weights = [1, 2, 3, 1];
    const repeated = { s: [0.9, 0.8, 0.8, 0.3, 0.3, 0.3, 0.1], l: [1, 0, 0, 1, 1, 1, 0] };
    expect(auc(scores, labels, weights)).toBeCloseTo(auc(repeated.s, repeated.l), 12);
  });
});

describe('precisionAtK', () => {
  it.each([
    { k: 1, expected: 1 },
    { k: 2, expected: 0.5 },
    { k: 3, expected: 2 / 3 },
    { k: 10, expected: 2 / 4 },
  ])('top $k', ({ k, expected }) => {
    expect(precisionAtK([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0], k)).toBeCloseTo(expected, 12);
  });
});

describe('calibrate', () => {
  const rng = createRng(4);
  const n = 3000;
  const scores = Float64Array.from({ length: n }, () => rng.nextFloat());
  // True probability is score² : calibration must bend the raw score down.
  const labels = Uint8Array.from(scores, (s) => (rng.nextFloat() < s * s ? 1 : 0));

  it.each(['isotonic', 'platt'] as const)('%s is monotone non-decreasing and within [0, 1]', (method) => {
    const cal = calibrate(scores, labels, { method });
    let prev = -Infinity;
    for (let s = -0.1; s <= 1.1; s += 0.005) {
      const p = cal.apply(s);
      expect(p).toBeGreaterThanOrEqual(prev - 1e-15);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      prev = p;
    }
    expect(cal.apply(0.5)).toBeLessThan(0.4);
    expect(cal.apply(0.95)).toBeGreaterThan(0.7);
  });

  it.each(['isotonic', 'platt'] as const)('%s rebuilds from stored parameters', (method) => {
    const cal = calibrate(scores, labels, { method });
    const again = calibrator(JSON.parse(JSON.stringify(cal.params)));
    for (const s of [0, 0.13, 0.5, 0.77, 1]) expect(again.apply(s)).toBe(cal.apply(s));
  });

  it('isotonic pools violators into their weighted mean', () => {
    const cal = calibrate([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], { method: 'isotonic' });
    expect(cal.params).toEqual({ method: 'isotonic', x: [0.1, 0.2, 0.3, 0.4], y: [0, 0.5, 0.5, 1] });
  });
});

describe('crossValidate', () => {
  const data = makeClassification({ rows: 1500, features: 6, seed: 8 });
  const cv = crossValidate(data.X, data.y, { trees: 10, maxDepth: 6, seed: 2 }, 5);

  it('scores every row out of fold, stratified, deterministically', () => {
    expect(cv.oof.length).toBe(1500);
    expect(cv.foldAuc).toHaveLength(5);
    expect(cv.auc).toBeGreaterThan(0.7);
    const positives = [0, 1, 2, 3, 4].map((f) => data.y.filter((v, i) => v === 1 && cv.folds[i] === f).length);
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1);
    const again = crossValidate(data.X, data.y, { trees: 10, maxDepth: 6, seed: 2 }, 5);
    expect(Array.from(again.oof)).toEqual(Array.from(cv.oof));
  });
});
