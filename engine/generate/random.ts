/**
 * Seeded randomness for the synthetic world. Nothing in engine/generate may call Math.random:
 * every choice takes an `Rng` derived from the run seed and the thing being generated, so the
 * same seed gives byte-identical files, and a person's identity can be recomputed anywhere
 * (e.g. when a seller borrows a relative's name) without storing the world.
 */

/** 32-bit finaliser (murmur3-style avalanche). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a seed (any safe integer) and a path of integer keys into 32 bits.
 *
 * @example hashKeys(42, [7, 1]) === hashKeys(42, [7, 1]) // true, and differs from hashKeys(42, [1, 7])
 */
export function hashKeys(seed: number, keys: readonly number[]): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = mix32(lo ^ mix32((hi + 0x9e3779b9) >>> 0));
  for (const k of keys)
    h = mix32((h ^ mix32(((k >>> 0) + 0x632be5ab + Math.floor(k / 4294967296)) >>> 0)) + 0x85ebca6b);
  return h;
}

/**
 * A small fast PRNG (sfc32) seeded from a run seed plus a key path.
 *
 * @example const rng = new Rng(42, 17, 3); rng.int(1, 6) // same value for every run with seed 42
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  constructor(seed: number, ...keys: number[]) {
    const h = hashKeys(seed, keys);
    this.a = mix32(h + 0x243f6a88);
    this.b = mix32(h + 0x85a308d3);
    this.c = mix32(h + 0x13198a2e);
    this.d = mix32(h + 0x03707344);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller, caching the second draw). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma²)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Pareto with scale xm and shape alpha (heavy tail for alpha near 1). */
  pareto(xm: number, alpha: number): number {
    return xm * Math.pow(1 - this.next(), -1 / alpha);
  }

  /** Poisson(lambda) by inversion; fine for the small lambdas used here. */
  poisson(lambda: number): number {
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > l) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

/**
 * Picks items with fixed relative weights (cumulative table + binary search).
 *
 * @example new Weighted([['a', 3], ['b', 1]]).pick(rng) // 'a' three times as often as 'b'
 */
export class Weighted<T> {
  readonly items: T[];
  private readonly cum: Float64Array;
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map((e) => e[0]);
    this.cum = new Float64Array(entries.length);
    let s = 0;
    entries.forEach((e, i) => {
      s += e[1];
      this.cum[i] = s;
    });
    this.total = s;
  }

  pick(rng: Rng): T {
    return this.items[this.index(rng.next())]!;
  }

  /** Index for a uniform draw u in [0, 1). */
  index(u: number): number {
    const x = u * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * A keyed bijection on [0, 10^digits) (digits ≤ 15): a four-round Feistel network on the
 * smallest even number of bits covering the range, cycle-walking until the value falls inside
 * it. Spreads a counter or a slot so identifiers look random yet never collide.
 *
 * @example permute(1, 6, 42, 7) !== permute(2, 6, 42, 7) // always; both below 10^6
 */
export function permute(n: number, digits: number, seed: number, salt = 0): number {
  const limit = 10 ** digits;
  const bits = Math.ceil(Math.log2(limit));
  const half = Math.max(1, Math.ceil(bits / 2));
  const size = 2 ** half;
  const mask = size - 1;
  const k = hashKeys(seed, [salt]);
  let x = n % limit;
  do {
    let l = Math.floor(x / size);
    let r = x % size;
    for (let round = 0; round < 4; round++) {
      const f = mix32((r ^ mix32(k + round)) >>> 0) & mask;
      const t = r;
      r = (l ^ f) >>> 0;
      l = t;
    }
    x = l * size + r;
  } while (x >= limit);
  return x;
}

/** Zero-pads a non-negative integer to `width` digits. */
export function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}
