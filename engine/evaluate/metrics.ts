/**
 * Pure metric arithmetic over small, already-fetched inputs: the ranked list at several K and
 * pairwise clustering scores from pair counts. No DuckDB, no files.
 */

/** One row of the case list, in rank order, with the truth person it maps to. */
export interface RankedCase {
  entityId: string;
  /** Truth person owning most of the entity's records; null when none of its records is in the truth. */
  personId: string | null;
  undeclared: boolean;
  trueTaxDue: number;
  /** The person is named in an outcomes file: the case is skipped and the next one takes its place. */
  audited: boolean;
  /** Row of the random control slice (kept: it is part of the list). */
  control: boolean;
}

/** List quality at one cut-off K, counted over persons not named in outcomes. */
export interface RankingAtK {
  k: number;
  /** Cases actually counted (less than K only when the list runs out; precision still divides by K). */
  counted: number;
  /** Counted cases whose person is undeclared, first case of that person only. */
  hits: number;
  precision: number;
  /** Counted cases whose person already appeared higher in the list: misses. */
  duplicateCases: number;
  /** Counted cases with no record in the truth: misses. */
  unmappedCases: number;
  /** Cases skipped because their person is named in outcomes, before the K-th counted case. */
  skippedAudited: number;
  /** Counted cases from the control slice. */
  controlCases: number;
  /** Σ true_tax_due of distinct undeclared persons reached. */
  yieldVnd: number;
  /** yieldVnd ÷ Σ true_tax_due of all undeclared persons not in outcomes. */
  yield: number;
  /** Σ true_tax_due of the K undeclared persons with the most tax due (the best possible list). */
  ceilingVnd: number;
  ceiling: number;
  /** yield ÷ ceiling. */
  yieldToCeiling: number;
  /** precision ÷ base rate (share of undeclared among persons not in outcomes). */
  lift: number | null;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/**
 * Precision, yield and ceiling at each K over a ranked list.
 * `undeclaredDues` holds true_tax_due of the undeclared persons not in outcomes, largest first
 * (at least max(K) of them when there are that many); `undeclaredTotal` is their full sum.
 *
 * @example
 *   rankingAtK([{ entityId: 'e1', personId: 'p1', undeclared: true, trueTaxDue: 10, audited: false, control: false }],
 *     [1], [10, 5], 15, 0.5)[0].precision; // 1
 */
export function rankingAtK(
  cases: readonly RankedCase[],
  ks: readonly number[],
  undeclaredDues: readonly number[],
  undeclaredTotal: number,
  baseRate: number | null,
): RankingAtK[] {
  return [...ks].map((k) => {
    const seen = new Set<string>();
    let counted = 0,
      hits = 0,
      duplicateCases = 0,
      unmappedCases = 0,
      skippedAudited = 0,
      controlCases = 0,
      yieldVnd = 0;
    for (const c of cases) {
      if (counted >= k) break;
      if (c.audited) {
        skippedAudited++;
        continue;
      }
      counted++;
      if (c.control) controlCases++;
      if (c.personId === null) {
        unmappedCases++;
        continue;
      }
      if (seen.has(c.personId)) {
        duplicateCases++;
        continue;
      }
      seen.add(c.personId);
      if (c.undeclared) {
        hits++;
        yieldVnd += c.trueTaxDue;
      }
    }
    const ceilingVnd = undeclaredDues.slice(0, k).reduce((s, v) => s + v, 0);
    const precision = hits / k;
    return {
      k,
      counted,
      hits,
      precision,
      duplicateCases,
      unmappedCases,
      skippedAudited,
      controlCases,
      yieldVnd,
      yield: ratio(yieldVnd, undeclaredTotal),
      ceilingVnd,
      ceiling: ratio(ceilingVnd, undeclaredTotal),
      yieldToCeiling: ratio(yieldVnd, ceilingVnd),
      lift: baseRate ? precision / baseRate : null,
    };
  });
}

/** Pair counts of a clustering against the truth, and the scores they give. */
export interface PairwiseScores {
  /** Truth records in scope (each record of the truth is in exactly one predicted cluster). */
  records: number;
  /** Entities holding at least one record in scope. */
  entities: number;
  /** Truth records in scope that reached no entity: unlinked singletons. */
  unlinkedRecords: number;
  /** Entities holding records of more than one truth person. */
  mixedEntities: number;
  /** Σ C(n,2) over entities. */
  predictedPairs: number;
  /** Σ C(n,2) over truth persons. */
  truePairs: number;
  /** Σ C(n,2) over (entity, person) cells. */
  truePositivePairs: number;
  /** null when there are no predicted pairs (nothing was linked). */
  precision: number | null;
  /** null when the truth has no pairs. */
  recall: number | null;
  f1: number | null;
}

/** C(n, 2): the number of unordered pairs among n items. */
export const pairCount = (n: number): number => (n < 2 ? 0 : (n * (n - 1)) / 2);

/**
 * Precision, recall and F1 from pair counts.
 *
 * @example
 * pairwiseFromCounts({ truePositivePairs: 1, predictedPairs: 2, truePairs: 4 }); // { precision: 0.5, recall: 0.25,
 * f1: 1/3 }
 */
export function pairwiseFromCounts(c: { truePositivePairs: number; predictedPairs: number; truePairs: number }): {
  precision: number | null;
  recall: number | null;
  f1: number | null;
} {
  const precision = c.predictedPairs > 0 ? c.truePositivePairs / c.predictedPairs : null;
  const recall = c.truePairs > 0 ? c.truePositivePairs / c.truePairs : null;
  const f1 =
    precision !== null && recall !== null
      ? precision + recall > 0
        ? (2 * precision * recall) / (precision + recall)
        : 0
      : null;
  return { precision, recall, f1 };
}
