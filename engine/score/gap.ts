import { taxDue, isActivityGroup, type TaxYearRules } from '../config/tax-rules.js';
import { col, type Derived, type FeatureBatch } from './types.js';

/**
 * Revenue counted once and the tax gap per entity, under one tax year's rules.
 * - estimated revenue = max(observed revenue across channels, declared revenue);
 * - undeclared revenue = estimated − max(declared, GMV on which a platform withheld tax);
 * - tax gap = tax due on the estimated revenue − tax paid − tax withheld by platforms (≥ 0).
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
  const out: Derived = {
    estimatedRevenue: new Float64Array(n),
    undeclaredRevenue: new Float64Array(n),
    taxDue: new Float64Array(n),
    taxGap: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const est = Math.max(observed[i]!, declared[i]!);
    const group = batch.activityGroup[i];
    const due = taxDue(est, isActivityGroup(group) ? group : 'other', rules).total;
    out.estimatedRevenue[i] = est;
    out.undeclaredRevenue[i] = Math.max(0, est - Math.max(declared[i]!, withheldGmv[i]!));
    out.taxDue[i] = due;
    out.taxGap[i] = Math.max(0, due - paid[i]! - withheld[i]!);
  }
  return out;
}
