/**
 * Seeded synthetic classification data shared by the benchmarks (and the forest tests): a
 * nonlinear, noisy rule over a few informative features plus pure-noise features, so a forest
 * has something to learn and AUC has headroom on both sides.
 */
import { createRng } from '../../engine/score/forest/random.js';

export interface SyntheticOptions {
  rows: number;
  features: number;
  seed: number;
  /** Share of cells set to NaN (missing), default 0. */
  missingRate?: number;
  /** Share of positives targeted through the intercept, default about 0.3. */
  noise?: number;
}

export interface SyntheticData {
  rows: number;
  features: number;
  /** Row-major n × d. */
  X: Float64Array;
  y: Uint8Array;
}

/**
 * Makes `rows` × `features` data with a 0/1 label.
 *
 * @example
 * const { X, y } = makeClassification({ rows: 1000, features: 20, seed: 1 });
 */
export function makeClassification(opts: SyntheticOptions): SyntheticData {
  const { rows: n, features: d, seed } = opts;
  const rng = createRng(seed, 0x5eed);
  const normal = (): number => {
    const u = 1 - rng.nextFloat();
    const v = rng.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const X = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const noise = opts.noise ?? 1;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let f = 0; f < d; f++) {
      // A mix of shapes: gaussian, skewed (money-like), and small-integer counts.
      const z = normal();
      X[o + f] = f % 3 === 0 ? z : f % 3 === 1 ? Math.exp(z) : Math.floor(Math.abs(z) * 3);
    }
    const x = (f: number) => X[o + (f % d)]!;
    const logit =
      -1.2 +
      1.5 * x(0) +
      0.8 * Math.log(x(1)) * (x(3) > 0 ? 1 : -0.5) +
      0.6 * (x(2) >= 3 ? 1 : 0) +
      (x(4) > 1 && x(6) > 0 ? 1.2 : 0) +
      0.7 * Math.sin(2 * x(5)) +
      0.5 * x(7) * x(9);
    const p = 1 / (1 + Math.exp(-logit / noise));
    y[i] = rng.nextFloat() < p ? 1 : 0;
  }
  const missing = opts.missingRate ?? 0;
  if (missing > 0) {
    for (let k = 0; k < X.length; k++) if (rng.nextFloat() < missing) X[k] = NaN;
  }
  return { rows: n, features: d, X, y };
}

/** Columns of a row-major matrix. */
export function toColumns(X: Float64Array, rows: number, features: number): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let f = 0; f < features; f++) {
    const c = new Float64Array(rows);
    for (let i = 0, k = f; i < rows; i++, k += features) c[i] = X[k]!;
    cols.push(c);
  }
  return cols;
}
