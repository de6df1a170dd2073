import { isActivityGroup, type TaxYearRules } from '../config/tax-rules.js';
import { estimateActivity, expectedTaxDue, totalRate, type ActivityOptions } from './activity.js';
import { col, type Derived, type FeatureBatch } from './types.js';

export { groupFromWithholding } from './activity.js';

/**
 * The chance that revenue seen at `est` passes the threshold when `unnamed` of it is bank transfers
 * that name nothing but a transfer (`ck`, `X chuyen tien`): a buyer's and a relative's look alike, so
 * any share of them may be the holder's own money, taken as equally likely. 1 when the rest passes the
 * threshold alone, when the seller itself declares above it, or when it is not passed at all (nothing
 * due). Issue 14, thr16: sellers just under the threshold whose family transfers read as sales.
 *
 * @example thresholdChance(120e6, 0, 40e6, 100e6) // 0.5: 20 of the 40 M must be sales
 */
export function thresholdChance(est: number, declared: number, unnamed: number, threshold: number): number {
  if (!(est > threshold) || declared > threshold || !(unnamed > 0) || est - unnamed > threshold) return 1;
  return (est - threshold) / unnamed;
}

/**
 * Revenue counted once and the tax gap per entity, under one tax year's rules.
 * - estimated revenue = max(observed revenue across channels, declared revenue);
 * - undeclared revenue = estimated − max(declared, GMV on which a platform withheld tax);
 * - tax gap = tax due on the estimated revenue − tax paid − tax withheld by platforms (≥ 0), the tax
 *   due × the chance the revenue passes the threshold (`thresholdChance`),
 *   at the rates of the group a marketplace's withholding reveals when there is one (it is what the
 *   platform applied), else the registry's group, else the group the words name, else the expected
 *   tax under the mix of registered sellers with the same channels (engine/score/activity.ts);
 * - for an entity without a registry record that may be a registered taxpayer, or a registered one
 *   whose trade beyond its returns a registered housemate declares (mart_registry_candidates.sql),
 *   the candidate's declared revenue and tax paid count as the entity's in proportion to the
 *   candidate's weight (0..1).
 *
 * @example deriveAmounts(batch, rulesForYear(2025)).taxGap[0]
 */
export function deriveAmounts(
  batch: FeatureBatch,
  rules: TaxYearRules,
  opts: { provinces?: readonly (string | null)[]; activity?: ActivityOptions } = {},
): Derived {
  const { n } = batch;
  const observed = col(batch, 'observed_revenue');
  const declared = col(batch, 'declared_revenue');
  const withheldGmv = col(batch, 'gmv_withheld');
  const paid = col(batch, 'tax_paid');
  const withheld = col(batch, 'tax_withheld');
  const candWeight = batch.cols.registry_candidate_weight;
  const candDeclared = batch.cols.candidate_declared_revenue;
  const candPaid = batch.cols.candidate_tax_paid;
  const unnamed = batch.cols.bank_trade_unnamed;
  const activity = estimateActivity(batch, rules, opts.provinces, opts.activity);
  const out: Derived = {
    group: new Array(n),
    basis: activity.basis,
    rate: activity.rate,
    rateMin: activity.rateMin,
    rateMax: activity.rateMax,
    groupMismatch: new Uint8Array(n),
    estimatedRevenue: new Float64Array(n),
    undeclaredRevenue: new Float64Array(n),
    taxDue: new Float64Array(n),
    taxGap: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const w = candWeight && candWeight[i]! > 0 ? candWeight[i]! : 0;
    const declaredHere = declared[i]! + (w > 0 ? w * (candDeclared?.[i] ?? 0) : 0);
    const paidHere = paid[i]! + (w > 0 ? w * (candPaid?.[i] ?? 0) : 0);
    const est = Math.max(observed[i]!, declared[i]!);
    const b = activity.basis[i]!;
    out.group[i] = b.group;
    // the withholding shows a dearer group than the one registered (goods when the registry names none)
    const registered = batch.activityGroup[i];
    const registryGroup = isActivityGroup(registered) ? registered : 'goods';
    out.groupMismatch[i] =
      b.source === 'withholding' && totalRate(b.group, rules) > totalRate(registryGroup, rules) ? 1 : 0;
    const due = expectedTaxDue(est, b, rules) * thresholdChance(est, declared[i]!, unnamed?.[i] ?? 0, rules.threshold);
    out.estimatedRevenue[i] = est;
    out.undeclaredRevenue[i] = Math.max(0, est - Math.max(declaredHere, withheldGmv[i]!));
    out.taxDue[i] = due;
    out.taxGap[i] = Math.max(0, due - paidHere - withheld[i]!);
  }
  return out;
}
