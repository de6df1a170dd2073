/**
 * Seeded pseudo-random numbers for the forest: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 so that any 32-bit integer (or a seed plus a stream index) gives a well-mixed state.
 * Nothing in the forest calls Math.random: every random choice takes one of these generators.
 */

/** A seeded generator; `nextU32` is the raw output, the others derive from it. */
export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextU32(): number;
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number;
  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32, without modulo bias. */
  nextInt(n: number): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * xoshiro128** seeded from `seed` and an optional `stream` (e.g. the tree index), so tree i of a
 * forest draws the same numbers whether it is trained alone, in a worker, or in a loop.
 *
 * @example
 * const rng = createRng(42, 3);
 * rng.nextInt(10); // same value on every run
 */
export function createRng(seed: number, stream = 0): Rng {
  const mix = splitmix32((seed ^ Math.imul(stream + 1, 0x632be5ab)) >>> 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    nextU32,
    nextFloat: () => nextU32() / 4294967296,
    nextInt(n: number): number {
      if (!(n >= 1 && n <= 4294967296)) throw new RangeError(`nextInt: n must be in [1, 2^32], got ${n}`);
      // Rejection sampling keeps every value equally likely.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = nextU32();
        if (x < limit) return x % n;
      }
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Shuffles `items` in place (Fisher–Yates) with `rng`; returns the same array.
 *
 * @example
 * shuffleInPlace(Int32Array.from([0, 1, 2, 3]), createRng(1));
 */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(items: T, rng: Rng): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
