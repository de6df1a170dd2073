import type { Scored } from './score.js';
import { col, type FeatureBatch } from './types.js';

/** VND amounts enter the forest as ln(1 + millions) so a few huge sellers do not dominate the bins. */
const money = (v: number) => Math.log1p(Math.max(0, v) / 1e6);

/** Feature columns of the supervised scorer, in matrix order. */
export const modelFeatureNames = [
  'observed_revenue_ln',
  'declared_revenue_ln',
  'estimated_revenue_ln',
  'undeclared_revenue_ln',
  'tax_gap_ln',
  'platform_gmv_ln',
  'cod_sales_ln',
  'bank_trade_ln',
  'tax_withheld_ln',
  'observed_to_declared_ln',
  'registered',
  'returns',
  'returns_prev',
  'months_active',
  'platforms',
  'shops',
  'websites',
  'accounts',
  'distinct_names',
  'national_ids',
  'distinct_payers',
  'carriers',
  'cod_return_rate',
  'withheld_rate',
  'peer_z',
  'peer_percentile',
  'rule_risk',
  'rules_fired',
] as const;

/**
 * The supervised scorer's input: one row per entity (row-major, n × d), NaN where unknown.
 * Built from the mart features, the amounts under the tax rules, peer statistics and the rules.
 *
 * @example const X = modelMatrix(batch, scored); // X.length === batch.n * modelFeatureNames.length
 */
export function modelMatrix(batch: FeatureBatch, scored: Scored): Float64Array {
  const d = modelFeatureNames.length;
  const X = new Float64Array(batch.n * d);
  const c = (name: string) => col(batch, name);
  const [observed, declared, gmv, cod, bank, withheld] = [
    'observed_revenue',
    'declared_revenue',
    'platform_gmv',
    'cod_sales',
    'bank_trade',
    'tax_withheld',
  ].map(c);
  const counts = [
    'registered',
    'returns',
    'returns_prev',
    'months_active',
    'platforms',
    'shops',
    'websites',
    'accounts',
    'distinct_names',
    'national_ids',
    'distinct_payers',
    'carriers',
    'cod_return_rate',
    'withheld_rate',
  ].map(c);
  const fired = Object.values(scored.ruleResults).map((r) => r.fired);
  for (let i = 0, o = 0; i < batch.n; i++) {
    X[o++] = money(observed![i]!);
    X[o++] = money(declared![i]!);
    X[o++] = money(scored.derived.estimatedRevenue[i]!);
    X[o++] = money(scored.derived.undeclaredRevenue[i]!);
    X[o++] = money(scored.derived.taxGap[i]!);
    X[o++] = money(gmv![i]!);
    X[o++] = money(cod![i]!);
    X[o++] = money(bank![i]!);
    X[o++] = money(withheld![i]!);
    X[o++] = money(observed![i]!) - money(declared![i]!);
    for (const k of counts) X[o++] = k[i]!;
    X[o++] = scored.peer.z[i]!;
    X[o++] = scored.peer.percentile[i]!;
    X[o++] = scored.risk[i]!;
    let n = 0;
    for (const f of fired) n += f[i]!;
    X[o++] = n;
  }
  return X;
}
