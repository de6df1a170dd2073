import type { TaxYearRules } from '../config/tax-rules.js';
import type { ActivityBasis } from './activity.js';

/** Features of many entities as columns (one Float64Array per feature, NaN = unknown). */
export interface FeatureBatch {
  n: number;
  cols: Record<string, Float64Array>;
  /** Activity group per entity (selects the tax rates). */
  activityGroup: string[];
  /**
   * Per-entity text a rule may cite (e.g. `registry_candidate`: tax code and evidence;
   * `activity_terms`: dictionary words found, `group:term|…`); absent = none.
   */
  text?: Record<string, (string | null)[]>;
}

/** Per-entity amounts derived from the tax rules (all VND). */
export interface Derived {
  /**
   * Activity group the tax is computed with: the one a marketplace's withholding reveals, else the
   * registry's, else the one words name, else the likeliest of the mix (engine/score/activity.ts).
   */
  group: string[];
  /** Where the rate came from, with the mix or the words behind an estimate. */
  basis: ActivityBasis[];
  /** VAT + PIT rate used (share-weighted for a mix), and the lowest and highest the seller could owe. */
  rate: Float64Array;
  rateMin: Float64Array;
  rateMax: Float64Array;
  /** 1 where the withholding rate shows a dearer group than the registry's. */
  groupMismatch: Uint8Array;
  estimatedRevenue: Float64Array;
  undeclaredRevenue: Float64Array;
  taxDue: Float64Array;
  taxGap: Float64Array;
}

export interface RuleContext {
  rules: TaxYearRules;
  derived: Derived;
  /** Robust z of ln(estimated / declared revenue) within activity group × province. */
  peerZ: Float64Array;
}

/** What a rule found for each entity: fired or not, the VND amount it cites, and how many records back it. */
export interface RuleResult {
  fired: Uint8Array;
  amount: Float64Array;
  evidence: Float64Array;
  /** Per-entity text the reason cites besides the numbers (e.g. a candidate's tax code). */
  note?: (string | null)[];
}

/**
 * A screening rule over typed arrays. Pure: no DuckDB, no fs.
 * `describe` turns one entity's finding into a sentence with its amount and evidence count.
 */
export interface Rule {
  id: string;
  label_vi: string;
  label_en: string;
  /** Log-odds this rule adds to the risk score when it fires (overridable in config). */
  weight: number;
  evaluate(batch: FeatureBatch, ctx: RuleContext): RuleResult;
  describe(amount: number, evidence: number, lang: 'vi' | 'en', note?: string | null): string;
}

/** Reads a feature column or throws naming the missing feature (a mart/scorer mismatch). */
export function col(batch: FeatureBatch, name: string): Float64Array {
  const c = batch.cols[name];
  if (!c) throw new Error(`feature "${name}" is missing from the feature batch`);
  return c;
}

export function emptyResult(n: number): RuleResult {
  return { fired: new Uint8Array(n), amount: new Float64Array(n), evidence: new Float64Array(n) };
}
