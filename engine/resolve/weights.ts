/**
 * From comparison patterns to Fellegi–Sunter weights (pure; no DuckDB): u from random-pair
 * counts, m by EM sessions (one per blocking rule, leaving out the rule's own fields, as Splink
 * does), the prior from λ over all candidate pairs, and per level log2(m/u).
 */
import { expectationMaximisation, type GammaPatterns } from './em.js';
import { blockingFields, blockingKeys, type ResolvedLinkSpec } from './spec.js';
import { fmt } from '../format.js';

export interface LevelWeight {
  label: string;
  kind: string;
  m: number;
  u: number;
  /** log2(m / u); 0 for the null level. */
  weight: number;
  m_source: 'fixed' | 'em' | 'labels' | 'start' | 'none';
  /** `smoothed`: never seen among random pairs, so u was raised until the level weighs no more than the one above
   * it. */
  u_source: 'fixed' | 'sampled' | 'default' | 'smoothed' | 'none';
  /** Random pairs observed at this level. */
  u_count: number;
}

export interface ComparisonWeights {
  name: string;
  field: string;
  levels: LevelWeight[];
}

export interface EmSession {
  rule: string[];
  pairs: number;
  iterations: number;
  lambda: number;
  estimated: string[];
}

export interface LinkWeights {
  /** Probability that two random records match. */
  prior: number;
  prior_source: 'fixed' | 'estimated';
  /** Share of matches among candidate pairs (EM). */
  lambda_candidates: number;
  candidate_pairs: number;
  total_pairs: number;
  u_pairs: number;
  comparisons: ComparisonWeights[];
  em_sessions: EmSession[];
}

/** Pattern table read from DuckDB: rule bit mask per pattern plus the gamma patterns. */
export interface MaskedPatterns extends GammaPatterns {
  mask: Float64Array;
}

/**
 * u per level from random-pair counts (index 0 = null level, ignored); levels never seen get
 * half a pair so their weight stays finite; fixed u from the spec win.
 *
 * @example uFromCounts([5, 2, 98], [undefined, undefined, undefined]) // [1, 0.02, 0.98]
 */
export function uFromCounts(
  counts: number[],
  fixed: Array<number | undefined>,
): { u: number[]; source: LevelWeight['u_source'][] } {
  const L = counts.length;
  const observed = counts.slice(1).reduce((s, c) => s + c, 0);
  const u = new Array<number>(L).fill(1);
  const source = new Array<LevelWeight['u_source']>(L).fill('none');
  const fixedMass = fixed.slice(1).reduce<number>((s, v) => s + (v ?? 0), 0);
  const free = [...Array(L).keys()].slice(1).filter((g) => fixed[g] === undefined);
  const raw = free.map((g) => (observed > 0 ? Math.max(counts[g]!, 0.5) : 1));
  const sum = raw.reduce((s, x) => s + x, 0);
  free.forEach((g, i) => {
    u[g] = (Math.max(0, 1 - fixedMass) * raw[i]!) / sum;
    source[g] = observed > 0 ? 'sampled' : 'default';
  });
  for (let g = 1; g < L; g++)
    if (fixed[g] !== undefined) {
      u[g] = fixed[g]!;
      source[g] = 'fixed';
    }
  return { u, source };
}

/**
 * m per level from labelled matches (index 0, the null level, ignored): counts plus half a pair
 * each, shared over what the spec's fixed m leave.
 *
 * @example mFromCounts([3, 8, 1, 0], [undefined, undefined, undefined, undefined]) // [undefined, 0.81, 0.143, 0.048]
 */
export function mFromCounts(counts: number[], fixed: Array<number | undefined>): Array<number | undefined> {
  const fixedMass = fixed.slice(1).reduce<number>((s, v) => s + (v ?? 0), 0);
  const free = counts.map((_, g) => g > 0 && fixed[g] === undefined);
  const sum = counts.reduce((s, c, g) => s + (free[g] ? c + 0.5 : 0), 0);
  return counts.map((c, g) =>
    g === 0 ? undefined : free[g] ? (Math.max(0, 1 - fixedMass) * (c + 0.5)) / sum : fixed[g],
  );
}

/** Start values of m: best level most likely (4:1 between neighbours), fixed m kept. */
export function startM(fixed: Array<number | undefined>): number[] {
  const L = fixed.length;
  const fixedMass = fixed.slice(1).reduce<number>((s, v) => s + (v ?? 0), 0);
  const raw = fixed.map((v, g) => (g === 0 || v !== undefined ? 0 : Math.pow(4, L - 1 - g)));
  const sum = raw.reduce((s, x) => s + x, 0) || 1;
  return fixed.map((v, g) => (g === 0 ? 1 : (v ?? (Math.max(0, 1 - fixedMass) * raw[g]!) / sum)));
}

function selectPatterns(p: MaskedPatterns, bit: number): GammaPatterns {
  const keep: number[] = [];
  for (let i = 0; i < p.count.length; i++) if ((p.mask[i]! & bit) !== 0) keep.push(i);
  return {
    count: Float64Array.from(keep, (i) => p.count[i]!),
    gamma: p.gamma.map((g) => Uint8Array.from(keep, (i) => g[i]!)),
  };
}

/**
 * Estimates every level's m and u and the prior.
 *
 * @example
 *   const w = estimateWeights(spec, { uCounts, pairs, candidatePairs: 12_000, totalPairs: 5e9, uPairs: 1e6 });
 *   w.comparisons[0].levels[1].weight; // log2(m/u) of the first comparison's first real level
 */
export function estimateWeights(
  spec: ResolvedLinkSpec,
  input: {
    uCounts: number[][];
    pairs: MaskedPatterns;
    candidatePairs: number;
    totalPairs: number;
    uPairs: number;
    /** Labelled matches per comparison per level: m counted from them (half a pair added to each level) instead of
     * EM. */
    mCounts?: number[][];
  },
): LinkWeights {
  const specM = spec.comparisons.map((c) => c.levels.map((l) => l.m));
  const labelled = input.mCounts ? specM.map((levels, ci) => mFromCounts(input.mCounts![ci]!, levels)) : undefined;
  const fixedM = labelled ?? specM;
  const fixedU = spec.comparisons.map((c) => c.levels.map((l) => l.u));
  const us = spec.comparisons.map((_, ci) => uFromCounts(input.uCounts[ci]!, fixedU[ci]!));
  const u = us.map((x) => x.u);
  const mStart = fixedM.map(startM);
  const free = fixedM.map((levels) => levels.map((v, g) => g > 0 && v === undefined));
  const sums = mStart.map((levels) => levels.map(() => 0));
  const runs = spec.comparisons.map(() => 0);
  const sessions: EmSession[] = [];
  if (spec.estimate.em_iterations > 0) {
    spec.blocking.forEach((rule, ri) => {
      const ruleFields = blockingFields(rule);
      // Whole-value keys make their fields agree on every pair of the session, so those say nothing
      // about m; keys made from a field (words, prefix, model…) do not, so its comparisons stay in.
      const agreeing = blockingKeys(rule)
        .filter((k) => k.key === 'value')
        .map((k) => k.field);
      const active = spec.comparisons.map((c) => !agreeing.includes(c.field));
      const patterns = selectPatterns(input.pairs, 2 ** ri);
      const pairs = patterns.count.reduce((s, x) => s + x, 0);
      if (pairs === 0 || !active.some(Boolean)) return;
      const r = expectationMaximisation(patterns, spec.estimate.em_start_lambda, mStart, u, {
        iterations: spec.estimate.em_iterations,
        active,
        free,
      });
      const estimated: string[] = [];
      spec.comparisons.forEach((c, ci) => {
        // A comparison no pair of the session shows (all null) learns nothing here.
        const seen = patterns.gamma[ci]!.some((g, i) => g > 0 && patterns.count[i]! > 0);
        if (!active[ci] || !seen) return;
        r.m[ci]!.forEach((v, g) => (sums[ci]![g]! += v));
        runs[ci]!++;
        estimated.push(c.name);
      });
      sessions.push({ rule: ruleFields, pairs, iterations: r.iterations, lambda: r.lambda, estimated });
    });
  }
  const m = mStart.map((levels, ci) =>
    runs[ci]! > 0 ? levels.map((v, g) => (g === 0 ? 1 : free[ci]![g] ? sums[ci]![g]! / runs[ci]! : v)) : levels,
  );
  // λ over all candidate pairs with every comparison in the model, m and u fixed.
  const all = expectationMaximisation(input.pairs, spec.estimate.em_start_lambda, m, u, {
    iterations: 50,
    lambdaOnly: true,
  });
  const lambda = all.lambda;
  const estimatedPrior = input.totalPairs > 0 ? (lambda * input.candidatePairs) / input.totalPairs : 0.5;
  const prior = spec.prior?.match_probability ?? Math.min(0.5, Math.max(1e-12, estimatedPrior));
  const comparisons: ComparisonWeights[] = spec.comparisons.map((c, ci) => ({
    name: c.name,
    field: c.field,
    levels: c.levels.map((l, g) => ({
      label: l.label ?? l.kind,
      kind: l.kind,
      m: g === 0 ? 1 : m[ci]![g]!,
      u: g === 0 ? 1 : u[ci]![g]!,
      weight: g === 0 ? 0 : Math.log2(m[ci]![g]! / u[ci]![g]!),
      m_source:
        g === 0 ? 'none' : specM[ci]![g] !== undefined ? 'fixed' : labelled ? 'labels' : runs[ci]! > 0 ? 'em' : 'start',
      u_source: us[ci]!.source[g]!,
      u_count: input.uCounts[ci]![g] ?? 0,
    })),
  }));
  smoothUnseenLevels(comparisons);
  return {
    prior,
    prior_source: spec.prior ? 'fixed' : 'estimated',
    lambda_candidates: lambda,
    candidate_pairs: input.candidatePairs,
    total_pairs: input.totalPairs,
    u_pairs: input.uPairs,
    comparisons,
    em_sessions: sessions,
  };
}

/**
 * A level never seen among the random pairs has u from half a pair, so its weight is mostly a
 * guess; it may weigh no more than the level above it (levels go from strong to weak agreement):
 * its u is raised to bring it down, and marked `smoothed`. The first real level is left alone
 * (an identifier agreeing exactly is rare among random pairs by nature).
 */
export function smoothUnseenLevels(comparisons: ComparisonWeights[]): void {
  for (const c of comparisons) {
    for (let g = 2; g < c.levels.length; g++) {
      const l = c.levels[g]!;
      const above = c.levels[g - 1]!;
      if (l.u_source !== 'sampled' || l.u_count > 0 || l.weight <= above.weight) continue;
      l.weight = above.weight;
      l.u = l.m / Math.pow(2, l.weight);
      l.u_source = 'smoothed';
    }
  }
}

/**
 * What looks wrong in estimated weights, in words: a tiny share of matches among the candidate
 * pairs (EM found almost nothing to learn from), a weaker level weighing more than the strongest
 * (inverted: usually m learnt from too few pairs), levels never seen among random pairs.
 *
 * @example weightWarnings(w) // ['estimation looks degenerate: …']
 */
export function weightWarnings(w: LinkWeights): string[] {
  const out: string[] = [];
  if (w.prior_source === 'estimated' && (w.lambda_candidates < 1e-3 || w.prior < 1e-9)) {
    out.push(
      `estimation looks degenerate: EM finds ${fmt().sig(w.lambda_candidates * 100, 2)} % matches ` +
        `among ${w.candidate_pairs} candidate pairs (prior ${w.prior.toExponential(1)}); ` +
        'the blocking rules may bring too few true pairs (block on finer keys: words, prefixes, phonetic), or ' +
        'fix "prior" and m in the spec',
    );
  }
  for (const c of w.comparisons) {
    const real = c.levels.filter((l) => l.kind !== 'null' && l.kind !== 'else');
    const first = real[0];
    const stronger = real.slice(1).find((l) => first && l.weight > first.weight + 1);
    if (first && stronger) {
      out.push(
        `comparison "${c.name}": level "${stronger.label}" weighs ${fmt().dec(stronger.weight, 1)} bits, more than ` +
          `"${first.label}" (${fmt().dec(first.weight, 1)}): inverted weights, usually m learnt from too few ` +
          `pairs; check the blocking, or fix m of these levels`,
      );
    }
    const smoothed = c.levels.filter((l) => l.u_source === 'smoothed').map((l) => `"${l.label}"`);
    if (smoothed.length)
      out.push(
        `comparison "${c.name}": level(s) ${smoothed.join(', ')} never seen among ${w.u_pairs} random pairs; ` +
          `their weight is capped at the level above`,
      );
  }
  return out;
}
