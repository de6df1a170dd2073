import { describe, expect, it } from 'vitest';
import { rulesForYear } from '../../engine/config/tax-rules.js';
import { groupFromWithholding } from '../../engine/score/gap.js';
import { peerStats } from '../../engine/score/stats/peer.js';
import { fitSupervised, defaultSupervisedOptions } from '../../engine/score/supervised.js';
import { createRng } from '../../engine/score/forest/random.js';

describe('groupFromWithholding', () => {
  it.each([
    { rate: 0.015, group: 'goods' },
    { rate: 0.07, group: 'services' },
    { rate: 0.045, group: 'production_transport' },
    { rate: 0.1, group: 'property_lease' },
    { rate: 0.03, group: 'other' },
    { rate: 0.0149, group: 'goods' },
    { rate: 0.055, group: undefined }, // between services and production: no guess
    { rate: 0, group: undefined },
    { rate: NaN, group: undefined },
  ])('$rate → $group', ({ rate, group }) => expect(groupFromWithholding(rate, rulesForYear(2025))).toBe(group));
});

describe('peerStats', () => {
  it('scores an outlier within its group with median/MAD, not mean/sd', () => {
    const values = Float64Array.from([1, 1.1, 0.9, 1.05, 0.95, 1, 8, 5, 5.2, 4.8, 5.1, 4.9]);
    const groups = ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b'];
    const s = peerStats(values, groups, { minGroupSize: 5 });
    expect(s.z[6]).toBeGreaterThan(20); // 8 among values around 1
    expect(Math.abs(s.z[0]!)).toBeLessThan(1);
    expect(Math.abs(s.z[7]!)).toBeLessThan(1); // 5 is normal among its own peers
    expect(s.percentile[6]).toBe(1);
    expect(s.group[7]).toBe('b');
  });

  it('compares members of small groups with everyone', () => {
    const s = peerStats(Float64Array.from([1, 2, 3, 4, 100]), ['x', 'x', 'x', 'x', 'tiny'], { minGroupSize: 3 });
    expect(s.group[4]).toBe('*');
    expect(s.z[4]).toBeGreaterThan(3);
  });
});

describe('fitSupervised', () => {
  const d = 3;
  function world(n: number, seed: number) {
    const rng = createRng(seed);
    const X = new Float64Array(n * d);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.nextFloat();
      X[i * d] = a;
      X[i * d + 1] = rng.nextFloat();
      X[i * d + 2] = rng.nextFloat();
      y[i] = a + 0.2 * rng.nextFloat() > 0.6 ? 1 : 0;
    }
    return { X, y };
  }

  it('says why it trains nothing when labels are too few', () => {
    const { X, y } = world(20, 1);
    const fit = fitSupervised(
      X,
      d,
      { rows: Int32Array.from({ length: 20 }, (_, i) => i), y, random: new Uint8Array(20) },
      { ...defaultSupervisedOptions, seed: 1 },
    );
    expect(fit.status).toBe('skipped');
    if (fit.status === 'skipped') expect(fit.reason).toMatch(/20 audit outcomes.*at least 40/);
  });

  it('learns from labels, cross-validates and calibrates to probabilities, deterministically', () => {
    const { X, y } = world(300, 2);
    const rows = Int32Array.from({ length: 200 }, (_, i) => i);
    const labels = { rows, y: y.slice(0, 200), random: Uint8Array.from(rows, (i) => (i % 5 === 0 ? 1 : 0)) };
    const opts = { ...defaultSupervisedOptions, train: { ...defaultSupervisedOptions.train, trees: 40 }, seed: 3 };
    const a = fitSupervised(X, d, labels, opts);
    const b = fitSupervised(X, d, labels, opts);
    expect(a.status).toBe('trained');
    if (a.status !== 'trained' || b.status !== 'trained') return;
    expect(a.metrics.cvAuc).toBeGreaterThan(0.85);
    expect(a.metrics.randomLabels).toBe(40);
    expect(a.dataHash).toBe(b.dataHash);
    expect(a.calibration).toEqual(b.calibration);
    // weighting random audits changes the training data hash (weights are part of the data)
    const c = fitSupervised(X, d, { ...labels, random: new Uint8Array(200) }, opts);
    expect(c.status === 'trained' && c.dataHash).not.toBe(a.dataHash);
  });
});
