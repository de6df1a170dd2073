import { activityGroups, taxDue, isActivityGroup, type ActivityGroup, type TaxYearRules } from '../config/tax-rules.js';
import { col, type Derived, type FeatureBatch } from './types.js';

/** Relative distance within which a withholding rate is taken as a group's VAT + PIT rate. */
const RATE_TOLERANCE = 0.15;

/**
 * The activity group whose VAT + PIT rate a marketplace withheld, if the rate is close to one.
 *
 * @example groupFromWithholding(0.07, rulesForYear(2025)) // 'services'
 */
export function groupFromWithholding(rate: number, rules: TaxYearRules): ActivityGroup | undefined {
  if (!(rate > 0)) return undefined;
  let best: ActivityGroup | undefined;
  let bestDistance = Infinity;
  for (const g of activityGroups) {
    const total = rules.rates[g].vat + rules.rates[g].pit;
    const d = Math.abs(rate - total) / total;
    if (d < bestDistance) {
      bestDistance = d;
      best = g;
    }
  }
  return bestDistance <= RATE_TOLERANCE ? best : undefined;
}

const totalRate = (g: ActivityGroup, rules: TaxYearRules) => rules.rates[g].vat + rules.rates[g].pit;

/**
 * Revenue counted once and the tax gap per entity, under one tax year's rules.
 * - estimated revenue = max(observed revenue across channels, declared revenue);
 * - undeclared revenue = estimated − max(declared, GMV on which a platform withheld tax);
 * - tax gap = tax due on the estimated revenue − tax paid − tax withheld by platforms (≥ 0),
 *   at the rates of the group a marketplace's withholding reveals when there is one (it is what the
 *   platform applied), else the registry's group;
 * - for an entity without a registry record that may be a registered taxpayer
 *   (mart_registry_candidates.sql), the candidate's declared revenue and tax paid count as the
 *   entity's in proportion to the candidate's weight (0..1).
 *
 * @example deriveAmounts(batch, rulesForYear(2025)).taxGap[0]
 */
export function deriveAmounts(batch: FeatureBatch, rules: TaxYearRules): Derived {
  const { n } = batch;
  const observed = col(batch, 'observed_revenue');
  const declared = col(batch, 'declared_revenue');
  const withheldGmv = col(batch, 'gmv_withheld');
  const paid = col(batch, 'tax_paid');
  const withheld = col(batch, 'tax_withheld');
  const withheldRate = batch.cols.withheld_rate;
  const candWeight = batch.cols.registry_candidate_weight;
  const candDeclared = batch.cols.candidate_declared_revenue;
  const candPaid = batch.cols.candidate_tax_paid;
  const out: Derived = {
    group: new Array(n),
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
    const registered = batch.activityGroup[i];
    const registryGroup: ActivityGroup = isActivityGroup(registered) ? registered : 'goods';
    const revealed = withheldRate ? groupFromWithholding(withheldRate[i]!, rules) : undefined;
    const group = revealed ?? registryGroup;
    out.group[i] = group;
    out.groupMismatch[i] = revealed && totalRate(revealed, rules) > totalRate(registryGroup, rules) ? 1 : 0;
    const due = taxDue(est, group, rules).total;
    out.estimatedRevenue[i] = est;
    out.undeclaredRevenue[i] = Math.max(0, est - Math.max(declaredHere, withheldGmv[i]!));
    out.taxDue[i] = due;
    out.taxGap[i] = Math.max(0, due - paidHere - withheld[i]!);
  }
  return out;
}
