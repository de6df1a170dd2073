/**
 * Expectation–maximisation of Fellegi–Sunter m probabilities over aggregated comparison
 * patterns (typed arrays; no DuckDB). u stays fixed, as in Splink: it comes from random pairs.
 * Level 0 of every comparison is the null level: it carries no evidence and is skipped.
 */

export interface GammaPatterns {
  /** Number of pairs showing each pattern. */
  count: Float64Array;
  /** Per comparison, the level index of each pattern. */
  gamma: Uint8Array[];
}

export interface EmOptions {
  iterations: number;
  /** Comparisons in the model (false: ignored, e.g. the blocking rule's own fields). Default all. */
  active?: boolean[];
  /** Per comparison per level: whether m is estimated (false: kept as given). Default all but level 0. */
  free?: boolean[][];
  /** Estimate λ only, keeping every m. */
  lambdaOnly?: boolean;
  /** Stop when no parameter moves more than this; default 1e-7. */
  tolerance?: number;
}

export interface EmResult {
  lambda: number;
  m: number[][];
  iterations: number;
  /** Pairs (weighted count) that took part. */
  pairs: number;
}

// No level is impossible for a true match: a floor keeps one disagreement from vetoing a pair (−13 bits at most).
const M_FLOOR = 1e-4;

/**
 * Runs EM from `lambda` and `m`, with `u` fixed. Returns the estimated λ (share of matches among
 * the patterns' pairs) and m.
 *
 * @example
 *   const r = expectationMaximisation(patterns, 0.3, mStart, uSampled, { iterations: 25 });
 *   r.m[2]; // m of comparison 2, per level
 */
export function expectationMaximisation(
  patterns: GammaPatterns,
  lambda: number,
  m: number[][],
  u: number[][],
  options: EmOptions,
): EmResult {
  const k = m.length;
  const n = patterns.count.length;
  const active = options.active ?? m.map(() => true);
  const free = options.free ?? m.map((levels) => levels.map((_, i) => i > 0));
  const tol = options.tolerance ?? 1e-7;
  let cur = m.map((levels) => [...levels]);
  let lam = lambda;
  const post = new Float64Array(n);
  let total = 0;
  for (let p = 0; p < n; p++) total += patterns.count[p]!;
  if (total === 0) return { lambda: lam, m: cur, iterations: 0, pairs: 0 };
  let it = 0;
  for (; it < options.iterations; it++) {
    // E: posterior match probability of each pattern.
    let matches = 0;
    for (let p = 0; p < n; p++) {
      let pm = lam;
      let pu = 1 - lam;
      for (let c = 0; c < k; c++) {
        if (!active[c]) continue;
        const g = patterns.gamma[c]![p]!;
        if (g === 0) continue;
        pm *= cur[c]![g]!;
        pu *= u[c]![g]!;
      }
      const s = pm + pu;
      post[p] = s > 0 ? pm / s : 0;
      matches += patterns.count[p]! * post[p]!;
    }
    // M: λ and each free m from the expected match counts.
    const nextLam = matches / total;
    const next = cur.map((levels) => [...levels]);
    if (!options.lambdaOnly) {
      for (let c = 0; c < k; c++) {
        if (!active[c]) continue;
        const acc = new Float64Array(cur[c]!.length);
        for (let p = 0; p < n; p++) acc[patterns.gamma[c]![p]!]! += patterns.count[p]! * post[p]!;
        let freeSum = 0;
        let fixedMass = 0;
        for (let g = 1; g < acc.length; g++) {
          if (free[c]![g]) freeSum += acc[g]!;
          else fixedMass += cur[c]![g]!;
        }
        if (freeSum <= 0) continue;
        const share = Math.max(0, 1 - fixedMass);
        for (let g = 1; g < acc.length; g++)
          if (free[c]![g]) next[c]![g] = Math.max(M_FLOOR, (share * acc[g]!) / freeSum);
      }
    }
    let moved = Math.abs(nextLam - lam);
    for (let c = 0; c < k; c++)
      for (let g = 0; g < next[c]!.length; g++) moved = Math.max(moved, Math.abs(next[c]![g]! - cur[c]![g]!));
    lam = nextLam;
    cur = next;
    if (moved < tol) {
      it++;
      break;
    }
  }
  return { lambda: lam, m: cur, iterations: it, pairs: total };
}
