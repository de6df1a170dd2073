import { median, medianAbsoluteDeviation } from 'simple-statistics';

export interface PeerOptions {
  /** Groups smaller than this are compared with everyone instead. */
  minGroupSize: number;
}

export interface PeerStats {
  /** Robust z-score of each entity's value within its peer group: (x − median) / (1.4826 · MAD). */
  z: Float64Array;
  /** Share of the peer group with a value at or below the entity's (0–1). */
  percentile: Float64Array;
  /** Peer group each entity was compared within ('*' = everyone). */
  group: string[];
}

/** MAD of a normal sample is 0.6745 σ; 1.4826 = 1 / 0.6745 puts z on the σ scale. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Robust z-scores and percentiles of `values` within peer groups (e.g. activity group × province),
 * with median / MAD so that a few huge sellers do not hide the rest. NaN values get z = 0.
 *
 * @example peerStats(Float64Array.of(1, 2, 3, 50), ['a', 'a', 'a', 'a'], { minGroupSize: 3 }).z[3] // ≫ 3
 */
export function peerStats(values: Float64Array, groups: readonly string[], opts: PeerOptions): PeerStats {
  const n = values.length;
  const members = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]!)) continue;
    const g = groups[i]!;
    let list = members.get(g);
    if (!list) members.set(g, (list = []));
    list.push(i);
  }
  const all: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i]!)) all.push(i);
  const z = new Float64Array(n);
  const percentile = new Float64Array(n);
  const group: string[] = new Array(n).fill('*');
  const score = (idx: number[], label: string) => {
    if (idx.length === 0) return;
    const xs = idx.map((i) => values[i]!);
    const med = median(xs);
    const mad = medianAbsoluteDeviation(xs) * MAD_TO_SIGMA;
    const sorted = Float64Array.from(xs).sort();
    for (const i of idx) {
      const v = values[i]!;
      z[i] = mad > 0 ? (v - med) / mad : v > med ? 10 : v < med ? -10 : 0;
      percentile[i] = upperBound(sorted, v) / sorted.length;
      group[i] = label;
    }
  };
  const small: number[] = [];
  for (const [g, idx] of [...members.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (idx.length >= opts.minGroupSize) score(idx, g);
    else small.push(...idx);
  }
  if (small.length) {
    // Members of small groups are placed against everyone.
    const everyone = all.map((i) => values[i]!);
    const med = median(everyone);
    const mad = medianAbsoluteDeviation(everyone) * MAD_TO_SIGMA;
    const sorted = Float64Array.from(everyone).sort();
    for (const i of small) {
      const v = values[i]!;
      z[i] = mad > 0 ? (v - med) / mad : 0;
      percentile[i] = upperBound(sorted, v) / sorted.length;
      group[i] = '*';
    }
  }
  return { z, percentile, group };
}

function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
