/**
 * Pairwise quality of a clustering against known entities (pure; no DuckDB): every pair of
 * records inside one predicted cluster is a predicted pair — for a link of two files only the
 * cross-file pairs — scored against the pairs inside one true entity.
 */

export interface PairwiseQuality {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
}

/** One record: its predicted cluster, its true entity and (for a link of two files) its file 0/1. */
export interface ScoredRecord {
  cluster: string;
  entity: string;
  file?: number;
}

/** Pairs of a group: n(n−1)/2 within one file, or n0·n1 across two. */
const pairsOf = (n: [number, number], crossOnly: boolean) =>
  crossOnly ? n[0] * n[1] : ((n[0] + n[1]) * (n[0] + n[1] - 1)) / 2;

function count(records: readonly ScoredRecord[], key: (r: ScoredRecord) => string, crossOnly: boolean): number {
  const groups = new Map<string, [number, number]>();
  for (const r of records) {
    const k = key(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = [0, 0]));
    g[r.file === 1 ? 1 : 0]++;
  }
  let total = 0;
  for (const g of groups.values()) total += pairsOf(g, crossOnly);
  return total;
}

/**
 * Precision, recall and F1 over pairs.
 *
 * @example
 * pairwiseQuality([{ cluster: 'a', entity: '1' }, { cluster: 'a', entity: '1' }, { cluster: 'b', entity: '1' }],
 * false)
 *   // { truePairs: 3, predictedPairs: 1, correctPairs: 1, precision: 1, recall: 0.333…, f1: 0.5 }
 */
export function pairwiseQuality(records: readonly ScoredRecord[], crossOnly: boolean): PairwiseQuality {
  const truePairs = count(records, (r) => r.entity, crossOnly);
  const predictedPairs = count(records, (r) => r.cluster, crossOnly);
  const correctPairs = count(records, (r) => `${r.cluster.length}:${r.cluster}\u0000${r.entity}`, crossOnly);
  const precision = predictedPairs > 0 ? correctPairs / predictedPairs : 1;
  const recall = truePairs > 0 ? correctPairs / truePairs : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 };
}
