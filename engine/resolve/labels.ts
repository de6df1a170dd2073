/**
 * Measuring a link against labels (`sangloc link --labels FILE`): a file of labelled pairs
 * (`left_id, right_id, match` with 0/1, Splink's `unique_id_l, unique_id_r, clerical_match_score`)
 * or of known entities (`id, cluster`). Every candidate pair is scored, so precision, recall and
 * F1 are known at any threshold (before clustering), and at the spec's threshold after clustering.
 */
import { ConfigError, InputError } from '../errors.js';
import { ident, literal, type Db } from '../warehouse/db.js';
import { pairwiseQuality } from './quality.js';
import { weightToProbability } from './spec.js';

export interface SweepPoint {
  /** Match weight threshold (pairs at or above it are predicted matches). */
  weight: number;
  probability: number;
  precision: number;
  recall: number;
  f1: number;
  predicted: number;
  correct: number;
}

export interface LabelQuality {
  kind: 'pairs' | 'clusters';
  /** Labelled records found in the input, labels given. */
  records: number;
  /** True pairs the labels give (for pair labels: pairs labelled 1). */
  positives: number;
  /** Labelled pairs that are not candidate pairs (no blocking rule brings them). */
  positivesNotBlocked: number;
  /** Pairwise, before clustering: at the spec's threshold, and the best F1 over thresholds. */
  atThreshold: SweepPoint;
  best: SweepPoint;
  /** One point per distinct match weight (strongest first), thinned to at most 400: the precision–recall curve. */
  curve: SweepPoint[];
  /** At each of the `sweepWeights` asked for. */
  sweep: SweepPoint[];
  /** After clustering: pairs inside one cluster, scored against the labels. */
  clustered: { precision: number; recall: number; f1: number };
}

const pick = (cols: string[], names: string[]) => names.find((n) => cols.includes(n));

/**
 * Precision–recall sweep over thresholds: `weights` of the pairs (NaN: not a candidate), `truth`
 * 1/0; `positives` counts all true pairs (some may not be among the pairs given).
 *
 * @example sweep(Float64Array.of(9, 5, 1), Uint8Array.of(1, 0, 1), 3, 5).atThreshold // at 5 bits: P 0.5, R 0.33
 */
export function sweep(
  weights: Float64Array,
  truth: Uint8Array,
  positives: number,
  threshold: number,
  table: number[] = [],
): { curve: SweepPoint[]; best: SweepPoint; atThreshold: SweepPoint; table: SweepPoint[] } {
  const idx = [...weights.keys()].filter((i) => !Number.isNaN(weights[i]!)).sort((a, b) => weights[b]! - weights[a]!);
  const point = (w: number, predicted: number, correct: number): SweepPoint => {
    const precision = predicted > 0 ? correct / predicted : 1;
    const recall = positives > 0 ? correct / positives : 1;
    return {
      weight: w,
      probability: weightToProbability(w),
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      predicted,
      correct,
    };
  };
  const curve: SweepPoint[] = [];
  let predicted = 0;
  let correct = 0;
  let atThreshold = point(threshold, 0, 0);
  const at = table.map((w) => point(w, 0, 0));
  for (let k = 0; k < idx.length; ) {
    const w = weights[idx[k]!]!;
    while (k < idx.length && weights[idx[k]!] === w) {
      predicted++;
      correct += truth[idx[k]!]!;
      k++;
    }
    const p = point(w, predicted, correct);
    curve.push(p);
    if (w >= threshold) atThreshold = { ...p, weight: threshold, probability: weightToProbability(threshold) };
    table.forEach((t, i) => {
      if (w >= t) at[i] = { ...p, weight: t, probability: weightToProbability(t) };
    });
  }
  const best = curve.reduce((b, p) => (p.f1 > b.f1 ? p : b), point(Infinity, 0, 0));
  const step = Math.max(1, Math.ceil(curve.length / 400));
  return { curve: curve.filter((_, i) => i % step === 0 || i === curve.length - 1), best, atThreshold, table: at };
}

/**
 * Reads a labels file into `link_labels_raw` and measures. Needs `input` (with `_record_id`,
 * `_dataset`, `_id`), `scored` (every candidate pair: record_a, record_b, match_weight) and
 * `clusters` (record_id, cluster_id).
 */
/**
 * Reads a labels file: `link_label_pairs(a, b, y)` — for pair labels every labelled pair, for
 * entity labels every true pair (y = 1) — and, for entity labels, `link_label_records(r, ds, c)`.
 * Needs only the input table (`_record_id`, `_dataset`, `_id`), so it can run before linking.
 */
export async function loadLabels(
  db: Db,
  o: { file: string; input: string; crossOnly: boolean; fileNames: string[] },
): Promise<LabelQuality['kind']> {
  try {
    await db.exec(
      `create or replace table link_labels_raw as select * from read_csv(${literal(o.file)}, all_varchar = ` +
        `true, header = true)`,
    );
  } catch (err) {
    throw new InputError(o.file, `cannot read the labels as CSV: ${(err as Error).message.split('\n')[0]}`);
  }
  const cols = (await db.all<{ column_name: string }>('describe link_labels_raw')).map((r) => r.column_name);
  const left = pick(cols, ['left_id', 'unique_id_l', 'id_l', 'id_left']);
  const right = pick(cols, ['right_id', 'unique_id_r', 'id_r', 'id_right']);
  const label = pick(cols, ['match', 'is_match', 'label', 'clerical_match_score']);
  const id = pick(cols, ['id', 'unique_id', 'record_id', 'rec_id']);
  const cluster = pick(cols, ['cluster', 'cluster_id', 'entity', 'entity_id']);
  const I = ident(o.input);
  if (left && right && label) {
    // Two files: left ids are of the first, right ids of the second.
    const two = o.fileNames.length === 2;
    await db.exec(
      `create or replace table link_label_pairs as
      select least(l._record_id, r._record_id) as a, greatest(l._record_id, r._record_id) as b, max(case when ` +
        `try_cast(x.${ident(label)} as double) >= 0.5 then 1 else 0 end)::utinyint as y
      from link_labels_raw x
      join ${I} l on l._id = x.${ident(left)}${two ? ' and l._dataset = 0' : ''}
      join ${I} r on r._id = x.${ident(right)}${two ? ' and r._dataset = 1' : ''}
      where l._record_id <> r._record_id group by 1, 2`,
    );
    return 'pairs';
  }
  if (id && cluster) {
    // A record: its id in its file (the file column, when the labels have one, names the file).
    const fileCol = pick(cols, ['file']);
    const fileCond = fileCol
      ? ` and i._dataset = list_position([${o.fileNames.map(literal).join(', ')}], ${ident(fileCol)}) - 1`
      : '';
    await db.exec(
      `create or replace table link_label_records as
      select i._record_id as r, i._dataset as ds, x.${ident(cluster)} as c from link_labels_raw x join ${I} i ` +
        `on i._id = x.${ident(id)}${fileCond}
      where x.${ident(cluster)} is not null`,
    );
    await db.exec(
      `create or replace table link_label_pairs as
      select l.r as a, r.r as b, 1::utinyint as y from link_label_records l join link_label_records r on l.c = ` +
        `r.c and l.r < r.r${o.crossOnly ? ' and l.ds <> r.ds' : ''}`,
    );
    return 'clusters';
  }
  throw new ConfigError(o.file, [
    `labels: expected pair columns (left_id, right_id, match — or unique_id_l, unique_id_r, ` +
      `clerical_match_score) or entity columns (id, cluster); got ${cols.join(', ')}`,
  ]);
}

/**
 * Measures a finished link against labels (read by `loadLabels` unless `loaded`). Needs `scored`
 * (every candidate pair: record_a, record_b, match_weight) and `clusters` (record_id, cluster_id).
 */
export async function measureWithLabels(
  db: Db,
  o: {
    file: string;
    input: string;
    scored: string;
    clusters: string;
    crossOnly: boolean;
    threshold: number;
    fileNames: string[];
    sweepWeights?: number[];
    loaded?: LabelQuality['kind'];
  },
): Promise<LabelQuality> {
  const kind = o.loaded ?? (await loadLabels(db, o));
  // Entity labels: the candidate pairs among labelled records that the labels do not join are false.
  await db.exec(
    kind === 'pairs'
      ? 'create or replace table link_truth as select * from link_label_pairs'
      : `create or replace table link_truth as
      select a, b, max(y)::utinyint as y from (
        select a, b, y from link_label_pairs
        union all
        select s.record_a, s.record_b, 0 from ${ident(o.scored)} s
        where s.record_a in (select r from link_label_records) and s.record_b in (select r from link_label_records)
      ) group by 1, 2`,
  );
  const counts = await db.one<{
    n: number;
    pos: number;
    lost: number;
  }>(`select count(*)::bigint as n, count(*) filter (where y = 1)::bigint as pos,
      count(*) filter (where y = 1 and s.match_weight is null)::bigint as lost
    from link_truth t left join ${ident(o.scored)} s on s.record_a = t.a and s.record_b = t.b`);
  if (!counts || counts.n === 0)
    throw new InputError(
      o.file,
      "no labelled record matches an id of the input files (ids are the spec's unique_id, or line numbers)",
    );
  const e = await db.numericColumns(`select coalesce(s.match_weight, 'nan'::double) as w, t.y::double as y
    from link_truth t left join ${ident(o.scored)} s on s.record_a = t.a and s.record_b = t.b order by t.a, t.b`);
  const { table, ...s } = sweep(
    e.columns[0]!,
    Uint8Array.from(e.columns[1]!),
    Number(counts.pos),
    o.threshold,
    o.sweepWeights,
  );
  const pos = Number(counts.pos);
  let clustered: LabelQuality['clustered'];
  if (kind === 'clusters') {
    // Every pair inside a predicted cluster counts, among the labelled records.
    const rows = await db.all<{
      c: string;
      e: string;
      ds: number;
    }>(`select k.cluster_id::varchar as c, l.c::varchar as e, l.ds::integer as ds
      from link_label_records l join ${ident(o.clusters)} k on k.record_id = l.r`);
    const q = pairwiseQuality(
      rows.map((r) => ({ cluster: r.c, entity: r.e, file: r.ds })),
      o.crossOnly,
    );
    clustered = { precision: q.precision, recall: q.recall, f1: q.f1 };
  } else {
    const c = await db.one<{
      pred: number;
      ok: number;
    }>(
      `select count(*) filter (where ca.cluster_id = cb.cluster_id)::bigint as pred,
        count(*) filter (where ca.cluster_id = cb.cluster_id and t.y = 1)::bigint as ok
      from link_truth t join ${ident(o.clusters)} ca on ca.record_id = t.a join ${ident(o.clusters)} cb on ` +
        `cb.record_id = t.b`,
    );
    const pred = Number(c?.pred ?? 0);
    const ok = Number(c?.ok ?? 0);
    const precision = pred > 0 ? ok / pred : 1;
    const recall = pos > 0 ? ok / pos : 1;
    clustered = { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  }
  const records = await db.value<number>(
    `select count(distinct r) from (select a as r from link_truth union all select b from link_truth)`,
  );
  return {
    kind,
    records: Number(records),
    positives: pos,
    positivesNotBlocked: Number(counts.lost),
    ...s,
    sweep: table,
    clustered,
  };
}
