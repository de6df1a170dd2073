/**
 * The reference of the scoring-core benchmark: the same arithmetic as scoreEntities + rankCases
 * (tax gap, peer median/MAD z-scores, the nine rules, risk, reasons, ranking with a control
 * slice), written the way it is usually first written — an array of plain row objects processed
 * with map / filter / reduce / sort. Same results (the bench checks it), different data layout:
 * the ratio shows what the typed-array columns of engine/score buy.
 */
import { isActivityGroup, taxDue, type ActivityGroup, type TaxYearRules } from '../../engine/config/tax-rules.js';
import { createRng } from '../../engine/score/forest/random.js';
import { groupFromWithholding } from '../../engine/score/gap.js';
import { MIN_DISTINCT_PAYERS } from '../../engine/score/rules/bank-trade-undeclared.js';
import { BUNCHING_BAND } from '../../engine/score/rules/bunching-under-threshold.js';
import { allRules } from '../../engine/score/rules/index.js';
import { OBSERVED_TO_DECLARED_RATIO } from '../../engine/score/rules/observed-exceeds-declared.js';
import { PEER_Z } from '../../engine/score/rules/peer-outlier.js';
import { PEER_MIN_GROUP } from '../../engine/score/score.js';
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { entityFeatureNames, type EntityWorld } from './entities.js';

/** One entity as a plain object: its id, province, activity group and every feature by name. */
export type EntityRow = {
  index: number;
  id: string;
  province: string;
  activityGroup: string;
  excluded: boolean;
} & Record<(typeof entityFeatureNames)[number], number>;

/**
 * The world as row objects (what a JSON or ORM reader hands over).
 *
 * @example const rows = toRowObjects(makeEntityWorld({ n: 10, seed: 1 })); rows[0].observed_revenue
 */
export function toRowObjects(world: EntityWorld): EntityRow[] {
  const { batch } = world;
  return world.ids.map((id, i) => {
    const row: Record<string, unknown> = {
      index: i,
      id,
      province: world.provinces[i],
      activityGroup: batch.activityGroup[i],
      excluded: world.excluded[i] === 1,
    };
    for (const f of entityFeatureNames) row[f] = batch.cols[f]![i];
    return row as EntityRow;
  });
}

export interface NaiveOptions {
  rules: TaxYearRules;
  lang: 'vi' | 'en';
  capacity: number;
  controlShare: number;
  seed: number;
  maxReasons?: number;
  /** Reason sentences (default true); false leaves them empty, as the bench's codes-only rules do. */
  reasonText?: boolean;
}

interface Finding {
  id: string;
  amount: number;
  evidence: number;
}

/** Same constants as engine/score/score.ts (not exported there). */
const BASE_LOG_ODDS = -3;
const GAP_LOG_ODDS_PER_LN_MILLION = 0.35;
const MAD_TO_SIGMA = 1.4826;
const ruleById = new Map(allRules.map((r, k) => [r.id, { rule: r, k }]));
const totalRate = (g: ActivityGroup, rules: TaxYearRules) => rules.rates[g].vat + rules.rates[g].pit;

const upperBound = (sorted: number[], v: number) => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * Scores and ranks row objects; returns the ranking (original indices, best first) and per-entity
 * expected yield and reasons, equal to the typed-array core's.
 *
 * @example naiveScoreAndRank(rows, { rules: rulesForYear(2025), lang: 'vi', capacity: 0, controlShare: 0.03, seed: 1 }).order[0]
 */
export function naiveScoreAndRank(rows: EntityRow[], opts: NaiveOptions) {
  const { rules } = opts;
  const t = rules.threshold;
  const derived = rows.map((r) => {
    const w = Math.max(r.registry_candidate_weight || 0, 0);
    const est = Math.max(r.observed_revenue, r.declared_revenue);
    const registryGroup: ActivityGroup = isActivityGroup(r.activityGroup) ? r.activityGroup : 'goods';
    const revealed = groupFromWithholding(r.withheld_rate, rules);
    const group = revealed ?? registryGroup;
    const due = taxDue(est, group, rules).total;
    return {
      row: r,
      group,
      mismatch: revealed !== undefined && totalRate(revealed, rules) > totalRate(registryGroup, rules),
      est,
      undeclared: Math.max(
        0,
        est - Math.max(r.declared_revenue + (w > 0 ? w * r.candidate_declared_revenue : 0), r.gmv_withheld),
      ),
      gap: Math.max(0, due - (r.tax_paid + (w > 0 ? w * r.candidate_tax_paid : 0)) - r.tax_withheld),
      ratio: Math.log((est / 1e6 + 1) / (r.declared_revenue / 1e6 + 1)),
      z: 0,
      percentile: 0,
    };
  });

  // Peer groups (activity group × province) as an object of arrays.
  const groups = derived.reduce<Record<string, typeof derived>>((acc, d) => {
    (acc[`${d.group} × ${d.row.province ?? '?'}`] ??= []).push(d);
    return acc;
  }, {});
  const scoreGroup = (
    members: typeof derived,
    against: typeof derived,
    madZero: (v: number, med: number) => number,
  ) => {
    const xs = against.map((d) => d.ratio);
    const med = median(xs);
    const mad = medianAbsoluteDeviation(xs) * MAD_TO_SIGMA;
    const sorted = xs.slice().sort((a, b) => a - b);
    members.forEach((d) => {
      d.z = mad > 0 ? (d.ratio - med) / mad : madZero(d.ratio, med);
      d.percentile = upperBound(sorted, d.ratio) / sorted.length;
    });
  };
  const small = Object.keys(groups)
    .sort()
    .filter((g) => {
      if (groups[g]!.length < PEER_MIN_GROUP) return true;
      scoreGroup(groups[g]!, groups[g]!, (v, med) => (v > med ? 10 : v < med ? -10 : 0));
      return false;
    })
    .flatMap((g) => groups[g]!);
  if (small.length) scoreGroup(small, derived, () => 0);

  // The rules, as predicates on row objects.
  const checks: ((d: (typeof derived)[number]) => Finding | null)[] = [
    ({ row: r }) =>
      r.registered === 0 && r.observed_revenue > t && !(r.registry_candidate_weight > 0)
        ? { id: 'UNREGISTERED_ABOVE_THRESHOLD', amount: r.observed_revenue, evidence: r.identity_records }
        : null,
    ({ row: r }) =>
      r.registered === 0 && r.observed_revenue > t && r.registry_candidate_weight > 0
        ? { id: 'POSSIBLY_REGISTERED', amount: r.observed_revenue, evidence: r.registry_candidate_weight }
        : null,
    ({ row: r }) =>
      r.registered === 1 &&
      r.observed_revenue > t &&
      r.observed_revenue >= OBSERVED_TO_DECLARED_RATIO * r.declared_revenue
        ? { id: 'OBSERVED_EXCEEDS_DECLARED', amount: r.observed_revenue - r.declared_revenue, evidence: r.returns }
        : null,
    ({ row: r }) =>
      r.returns_prev > 0 && r.returns === 0 && r.observed_revenue > t
        ? { id: 'STOPPED_FILING', amount: r.observed_revenue, evidence: r.months_active }
        : null,
    ({ row: r }) =>
      r.returns > 0 && r.declared_revenue >= BUNCHING_BAND * t && r.declared_revenue <= t && r.observed_revenue > t
        ? { id: 'BUNCHING_UNDER_THRESHOLD', amount: r.declared_revenue, evidence: r.returns }
        : null,
    ({ row: r }) =>
      r.cod_sales > 0.5 * t && r.cod_sales > r.declared_revenue
        ? { id: 'COD_TRADE_UNDECLARED', amount: r.cod_sales, evidence: r.cod_parcels }
        : null,
    ({ row: r }) =>
      r.distinct_payers >= MIN_DISTINCT_PAYERS && r.bank_trade > 0.5 * t && r.bank_trade > r.declared_revenue
        ? { id: 'BANK_TRADE_UNDECLARED', amount: r.bank_trade, evidence: r.bank_trade_credits }
        : null,
    ({ row: r }) =>
      r.shops + r.websites >= 2 && (r.distinct_names >= 2 || r.national_ids >= 2)
        ? { id: 'SPLIT_IDENTITIES', amount: Math.max(r.distinct_names, r.national_ids), evidence: r.shops + r.websites }
        : null,
    (d) =>
      d.mismatch ? { id: 'WRONG_ACTIVITY_GROUP', amount: d.row.gmv_withheld, evidence: d.row.platform_months } : null,
    (d) =>
      d.z >= PEER_Z && d.gap > 0
        ? { id: 'PEER_OUTLIER', amount: d.undeclared, evidence: Math.round(d.z * 10) / 10 }
        : null,
  ];
  const maxReasons = opts.maxReasons ?? 3;
  const scored = derived.map((d) => {
    const fired = checks.map((check) => check(d)).filter((f): f is Finding => f !== null);
    // Weights added one by one onto the gap term, in rule order, as the core does (float sums are order-sensitive).
    let z = fired.reduce(
      (s, f) => s + ruleById.get(f.id)!.rule.weight,
      BASE_LOG_ODDS + GAP_LOG_ODDS_PER_LN_MILLION * Math.log1p(d.gap / 1e6),
    );
    if (d.gap === 0) z = Math.min(z, BASE_LOG_ODDS);
    const risk = 1 / (1 + Math.exp(-z));
    const top = fired
      .sort((a, b) => b.amount - a.amount || ruleById.get(a.id)!.k - ruleById.get(b.id)!.k)
      .slice(0, maxReasons);
    return {
      index: d.row.index,
      id: d.row.id,
      excluded: d.row.excluded,
      risk,
      expectedYield: Math.round(risk * d.gap),
      reasonCodes: top.map((f) => f.id),
      reasons: top.map((f) =>
        opts.reasonText === false ? '' : ruleById.get(f.id)!.rule.describe(f.amount, f.evidence, opts.lang),
      ),
    };
  });

  // Ranking: best expected yield first, a random control slice from the rest.
  const candidates = scored
    .filter((s) => !s.excluded)
    .sort((a, b) => b.expectedYield - a.expectedYield || b.risk - a.risk || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = candidates.length;
  const capacity = opts.capacity > 0 ? Math.min(opts.capacity, total) : total;
  const controlCount = Math.min(
    Math.round(capacity * opts.controlShare),
    total - (capacity - Math.round(capacity * opts.controlShare)),
  );
  const head = candidates.slice(0, capacity - controlCount);
  const rest = candidates.slice(capacity - controlCount);
  const rng = createRng(opts.seed, 0x5eed);
  for (let i = 0; i < controlCount; i++) {
    const j = i + rng.nextInt(rest.length - i);
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  const position = new Map(candidates.map((c, k) => [c.index, k]));
  const others = rest.slice(controlCount).sort((a, b) => position.get(a.index)! - position.get(b.index)!);
  const order = [...head, ...rest.slice(0, controlCount), ...others].map((s) => s.index);
  return { order, scored };
}
