import { describe, expect, it } from 'vitest';
import { expectationMaximisation, type GammaPatterns } from '../../engine/resolve/em.js';
import { startM, uFromCounts } from '../../engine/resolve/weights.js';
import { rng } from './fixtures.js';

/** Draws pairs from a known Fellegi–Sunter model and aggregates them into patterns. */
function drawPatterns(
  seed: number,
  pairs: number,
  lambda: number,
  m: number[][],
  u: number[][],
  nullShare: number,
): GammaPatterns {
  const r = rng(seed);
  const draw = (probs: number[]) => {
    let x = r();
    for (let g = 1; g < probs.length; g++) if ((x -= probs[g]!) < 0) return g;
    return probs.length - 1;
  };
  const counts = new Map<string, number>();
  for (let i = 0; i < pairs; i++) {
    const match = r() < lambda;
    const key = m.map((_, c) => (r() < nullShare ? 0 : draw(match ? m[c]! : u[c]!))).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort();
  return {
    count: Float64Array.from(keys, (k) => counts.get(k)!),
    gamma: m.map((_, c) => Uint8Array.from(keys, (k) => Number(k.split(',')[c]))),
  };
}

const trueM = [
  [1, 0.85, 0.1, 0.05],
  [1, 0.7, 0.3],
  [1, 0.6, 0.25, 0.1, 0.05],
];
const trueU = [
  [1, 0.01, 0.09, 0.9],
  [1, 0.05, 0.95],
  [1, 0.002, 0.01, 0.05, 0.938],
];

describe('expectationMaximisation', () => {
  it.each([
    { seed: 1, lambda: 0.25 },
    { seed: 2, lambda: 0.6 },
    { seed: 3, lambda: 0.05 },
  ])('recovers m and λ from pairs drawn with λ = $lambda', ({ seed, lambda }) => {
    const patterns = drawPatterns(seed, 60_000, lambda, trueM, trueU, 0.1);
    const start = trueM.map((levels) => startM(levels.map(() => undefined)));
    const r = expectationMaximisation(patterns, 0.5, start, trueU, { iterations: 200 });
    expect(Math.abs(r.lambda - lambda)).toBeLessThan(0.01);
    r.m.forEach((levels, c) => levels.forEach((v, g) => expect(Math.abs(v - trueM[c]![g]!)).toBeLessThan(0.03)));
    expect(r.pairs).toBe(60_000);
  });

  it('keeps fixed levels and inactive comparisons untouched', () => {
    const patterns = drawPatterns(4, 20_000, 0.3, trueM, trueU, 0);
    const start = [
      [1, 0.5, 0.3, 0.2],
      [1, 0.5, 0.5],
      [1, 0.4, 0.3, 0.2, 0.1],
    ];
    const r = expectationMaximisation(patterns, 0.5, start, trueU, {
      iterations: 50,
      active: [true, false, true],
      free: [
        [false, false, true, true],
        [false, true, true],
        [false, true, true, true, true],
      ],
    });
    expect(r.m[0]![1]).toBe(0.5);
    expect(r.m[0]![2]! + r.m[0]![3]!).toBeCloseTo(0.5, 12);
    expect(r.m[1]).toEqual([1, 0.5, 0.5]);
  });

  it('estimates λ alone when asked', () => {
    const patterns = drawPatterns(5, 40_000, 0.2, trueM, trueU, 0);
    const r = expectationMaximisation(patterns, 0.5, trueM, trueU, { iterations: 100, lambdaOnly: true });
    expect(r.m).toEqual(trueM);
    expect(Math.abs(r.lambda - 0.2)).toBeLessThan(0.01);
  });
});

describe('u and start values', () => {
  it.each([
    { counts: [5, 2, 98], fixed: [undefined, undefined, undefined], u: [1, 0.02, 0.98] },
    { counts: [5, 0, 100], fixed: [undefined, undefined, undefined], u: [1, 0.5 / 100.5, 100 / 100.5] },
    { counts: [0, 0, 0], fixed: [undefined, undefined, undefined], u: [1, 0.5, 0.5] },
    { counts: [0, 10, 90], fixed: [undefined, 0.001, undefined], u: [1, 0.001, 0.999] },
  ])('uFromCounts($counts) = $u', ({ counts, fixed, u }) => {
    uFromCounts(counts, fixed).u.forEach((v, g) => expect(v).toBeCloseTo(u[g]!, 12));
  });

  it('starts m with the best level most likely and sums to 1', () => {
    const m = startM([undefined, undefined, undefined, undefined]);
    expect(m[1]! > m[2]! && m[2]! > m[3]!).toBe(true);
    expect(m[1]! + m[2]! + m[3]!).toBeCloseTo(1, 12);
  });
});
