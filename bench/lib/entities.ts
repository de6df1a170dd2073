/**
 * A seeded synthetic FeatureBatch for the scoring-core benchmark: every column the rules, the tax
 * gap and the supervised model read (engine/score/rules, gap.ts, model-features.ts), with a mix of
 * compliant sellers, under-declarers, unregistered sellers, bunching under the threshold, stopped
 * filers, split identities and marketplaces withholding at a dearer group's rate, so that each rule
 * fires on a realistic share of entities. It is a load generator, not a model of the population.
 */
import { rulesForYear, type ActivityGroup } from '../../engine/config/tax-rules.js';
import { createRng, type Rng } from '../../engine/score/forest/random.js';
import type { FeatureBatch } from '../../engine/score/types.js';

/** The mart columns the scoring core reads, in the order the bench builds them. */
export const entityFeatureNames = [
  'registered',
  'observed_revenue',
  'declared_revenue',
  'gmv_withheld',
  'tax_paid',
  'tax_withheld',
  'returns',
  'returns_prev',
  'months_active',
  'identity_records',
  'cod_sales',
  'cod_parcels',
  'bank_trade',
  'distinct_payers',
  'bank_trade_credits',
  'distinct_names',
  'national_ids',
  'shops',
  'websites',
  'platform_months',
  'withheld_rate',
  'platform_gmv',
  'platforms',
  'accounts',
  'carriers',
  'cod_return_rate',
  'registry_candidate_weight',
  'candidate_declared_revenue',
  'candidate_tax_paid',
] as const;

export interface EntityWorld {
  batch: FeatureBatch;
  ids: string[];
  provinces: string[];
  /** 1 = already audited this year (left out of the ranking). */
  excluded: Uint8Array;
}

const PROVINCES = 34;
const groupWeights: [ActivityGroup, number][] = [
  ['goods', 0.62],
  ['services', 0.2],
  ['production_transport', 0.08],
  ['property_lease', 0.04],
  ['other', 0.06],
];

function pick<T>(rng: Rng, weighted: [T, number][]): T {
  let u = rng.nextFloat();
  for (const [v, w] of weighted) {
    if (u < w) return v;
    u -= w;
  }
  return weighted[weighted.length - 1]![0];
}

function normal(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/**
 * `n` entities with every feature column, deterministic for a seed.
 *
 * @example const { batch, ids, provinces, excluded } = makeEntityWorld({ n: 1_000_000, seed: 1 });
 */
export function makeEntityWorld(opts: { n: number; seed: number; taxYear?: number }): EntityWorld {
  const { n } = opts;
  const rng = createRng(opts.seed, 0xe7);
  // registry candidates from their own stream, so the rest of the world is as before they existed
  const candRng = createRng(opts.seed, 0xca);
  const rules = rulesForYear(opts.taxYear ?? 2025);
  const t = rules.threshold;
  const cols: Record<string, Float64Array> = {};
  for (const f of entityFeatureNames) cols[f] = new Float64Array(n);
  const c = cols as Record<(typeof entityFeatureNames)[number], Float64Array>;
  const activityGroup: string[] = new Array(n);
  const provinces: string[] = new Array(n);
  const ids: string[] = new Array(n);
  const excluded = new Uint8Array(n);
  const rate = (g: ActivityGroup) => rules.rates[g].vat + rules.rates[g].pit;
  for (let i = 0; i < n; i++) {
    const group = pick(rng, groupWeights);
    activityGroup[i] = group;
    provinces[i] = `province-${String(1 + rng.nextInt(PROVINCES)).padStart(2, '0')}`;
    ids[i] = `E${String((i * 7919 + 13) % 10_000_019).padStart(8, '0')}`;
    excluded[i] = rng.nextFloat() < 0.005 ? 1 : 0;
    // Observed revenue: log-normal around 150 million VND, a long tail of big sellers.
    const observed = Math.round(150e6 * Math.exp(1.4 * normal(rng)));
    const registered = rng.nextFloat() < 0.6 ? 1 : 0;
    const behaviour = rng.nextFloat();
    let declared = 0;
    if (registered) {
      if (behaviour < 0.55) declared = Math.round(observed * (0.9 + 0.3 * rng.nextFloat()));
      else if (behaviour < 0.8) declared = Math.round(observed * (0.05 + 0.5 * rng.nextFloat()));
      else if (behaviour < 0.9) declared = Math.round(t * (0.8 + 0.2 * rng.nextFloat()));
      else declared = 0; // stopped filing this year
    }
    const returnsNow = registered && declared > 0 ? 1 + rng.nextInt(4) : 0;
    const returnsPrev = registered ? (behaviour >= 0.9 ? 1 + rng.nextInt(4) : rng.nextInt(5)) : 0;
    // Channels: marketplace (some with withholding), cash on delivery, bank transfers.
    const platformShare = rng.nextFloat() < 0.55 ? rng.nextFloat() : 0;
    const platformGmv = Math.round(observed * platformShare);
    const withholds = platformGmv > 0 && rng.nextFloat() < 0.7;
    const gmvWithheld = withholds ? platformGmv : 0;
    const withheldGroup = withholds && rng.nextFloat() < 0.08 ? 'services' : group;
    const taxWithheld = withholds ? Math.round(gmvWithheld * rate(withheldGroup)) : 0;
    const codSales = rng.nextFloat() < 0.45 ? Math.round(observed * rng.nextFloat() * 0.6) : 0;
    const bankTrade = rng.nextFloat() < 0.5 ? Math.round(observed * rng.nextFloat() * 0.8) : 0;
    const split = rng.nextFloat() < 0.06;
    c.registered[i] = registered;
    c.observed_revenue[i] = observed;
    c.declared_revenue[i] = declared;
    c.gmv_withheld[i] = gmvWithheld;
    c.tax_paid[i] = declared > t ? Math.round(declared * rate(group) * (0.8 + 0.2 * rng.nextFloat())) : 0;
    c.tax_withheld[i] = taxWithheld;
    c.returns[i] = returnsNow;
    c.returns_prev[i] = returnsPrev;
    c.months_active[i] = 1 + rng.nextInt(12);
    c.identity_records[i] = 1 + rng.nextInt(split ? 40 : 12);
    c.cod_sales[i] = codSales;
    c.cod_parcels[i] = codSales > 0 ? Math.max(1, Math.round(codSales / 350_000)) : 0;
    c.bank_trade[i] = bankTrade;
    c.distinct_payers[i] = bankTrade > 0 ? Math.round((bankTrade / 2_000_000) * (0.2 + rng.nextFloat())) : 0;
    c.bank_trade_credits[i] = bankTrade > 0 ? Math.max(1, Math.round(bankTrade / 800_000)) : 0;
    c.distinct_names[i] = split ? 2 + rng.nextInt(3) : 1;
    c.national_ids[i] = split && rng.nextFloat() < 0.5 ? 2 : 1;
    c.shops[i] = split ? 2 + rng.nextInt(4) : platformGmv > 0 ? 1 : 0;
    c.websites[i] = rng.nextFloat() < 0.05 ? 1 : 0;
    c.platform_months[i] = platformGmv > 0 ? 1 + rng.nextInt(12) : 0;
    c.withheld_rate[i] = gmvWithheld > 0 ? taxWithheld / gmvWithheld : NaN;
    c.platform_gmv[i] = platformGmv;
    c.platforms[i] = platformGmv > 0 ? 1 + rng.nextInt(3) : 0;
    c.accounts[i] = bankTrade > 0 ? 1 + rng.nextInt(3) : 0;
    c.carriers[i] = codSales > 0 ? 1 + rng.nextInt(4) : 0;
    c.cod_return_rate[i] = codSales > 0 ? rng.nextFloat() * 0.3 : NaN;
    // a fifth of the unregistered have a registered look-alike (weight 0,05..0,95) with its own returns
    const hasCandidate = candRng.nextFloat() < 0.2 && !registered;
    const w = Math.round((0.05 + 0.9 * candRng.nextFloat()) * 1000) / 1000;
    const candDeclared = Math.round(observed * candRng.nextFloat());
    c.registry_candidate_weight[i] = hasCandidate ? w : 0;
    c.candidate_declared_revenue[i] = hasCandidate ? candDeclared : 0;
    c.candidate_tax_paid[i] = hasCandidate ? Math.round(candDeclared * rate(group)) : 0;
  }
  return { batch: { n, cols, activityGroup }, ids, provinces, excluded };
}
