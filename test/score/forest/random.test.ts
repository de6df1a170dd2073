import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace } from '../../../engine/score/forest/random.js';

describe('createRng', () => {
  it('repeats per (seed, stream) and differs across streams', () => {
    const draw = (seed: number, stream: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.nextU32()
        )(createRng(seed, stream)),
      );
    expect(draw(1, 0)).toEqual(draw(1, 0));
    expect(draw(1, 1)).not.toEqual(draw(1, 0));
    expect(draw(2, 0)).not.toEqual(draw(1, 0));
  });

  it.each([1, 2, 7, 1000])('nextInt(%i) stays in range and covers it evenly', (n) => {
    const rng = createRng(3);
    const counts = new Int32Array(n);
    const draws = 2000 * Math.min(n, 10);
    for (let i = 0; i < draws; i++) counts[rng.nextInt(n)]!++;
    if (n <= 10) for (const c of counts) expect(Math.abs(c - draws / n)).toBeLessThan(0.1 * (draws / n));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(draws);
  });

  it('shuffles into a permutation', () => {
    const a = shuffleInPlace(
      Int32Array.from({ length: 50 }, (_, i) => i),
      createRng(9),
    );
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
