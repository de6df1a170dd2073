/**
 * The generator's own tax law, written from the law (docs/domain.md, the tax rules) and not from the
 * engine: truth/ (tax due, audit assessments) and the taxes the world's sellers pay are computed
 * here, so an evaluation compares the engine with an independent computation instead of with itself.
 * Nothing in engine/generate may import the engine's tax or scoring code (test/generate/boundary.test.ts).
 */

/** Activity groups of household / individual businesses, each taxed at its own rates on revenue. */
export const activityGroups = ['goods', 'services', 'production_transport', 'property_lease', 'other'] as const;
export type ActivityGroup = (typeof activityGroups)[number];

export interface TaxLaw {
  /** Annual revenue (VND) at or below which no tax is due. */
  threshold: number;
  /** Personal income tax on the revenue above the threshold (from 2026) instead of on all of it. */
  pitOnExcessOnly: boolean;
  /** VAT on all of the revenue (true) or on the part above the threshold. */
  vatOnWholeRevenue: boolean;
  /** VAT and PIT as shares of revenue, per activity group. */
  rates: Record<ActivityGroup, { vat: number; pit: number }>;
}

const ratesOnRevenue: TaxLaw['rates'] = {
  goods: { vat: 0.01, pit: 0.005 },
  services: { vat: 0.05, pit: 0.02 },
  production_transport: { vat: 0.03, pit: 0.015 },
  property_lease: { vat: 0.05, pit: 0.05 },
  other: { vat: 0.02, pit: 0.01 },
};

/** Tax years up to 2025: 100 million VND free, both taxes on the whole revenue. */
const lawUntil2025: TaxLaw = {
  threshold: 100_000_000,
  pitOnExcessOnly: false,
  vatOnWholeRevenue: true,
  rates: ratesOnRevenue,
};
/** From tax year 2026: 500 million VND free, PIT on the excess; VAT on the whole revenue (the law leaves it open). */
const lawFrom2026: TaxLaw = {
  threshold: 500_000_000,
  pitOnExcessOnly: true,
  vatOnWholeRevenue: true,
  rates: ratesOnRevenue,
};

/**
 * The law of a tax year. A table (year → law) replaces the built-in one: a year takes the law of the
 * latest listed year not after it, a year before all of them the earliest listed.
 *
 * @example taxLawOf(2025).threshold // 100_000_000
 * @example taxLawOf(2027).threshold // 500_000_000
 */
export function taxLawOf(year: number, table?: Record<string, TaxLaw>): TaxLaw {
  if (!table) return year >= 2026 ? lawFrom2026 : lawUntil2025;
  const years = Object.keys(table)
    .map(Number)
    .sort((a, b) => a - b);
  const chosen = years.filter((y) => y <= year).pop() ?? years[0];
  if (chosen === undefined) throw new Error('generate: the tax law table is empty');
  return table[String(chosen)]!;
}

/**
 * Tax due (VAT + PIT, VND, each rounded to the dong) on a year's revenue; nothing at or below the threshold.
 *
 * @example taxOwed(600_000_000, 'goods', taxLawOf(2026)) // 6_000_000 VAT + 500_000 PIT = 6_500_000
 */
export function taxOwed(revenue: number, group: ActivityGroup, law: TaxLaw): number {
  if (!(revenue > law.threshold)) return 0;
  const { vat, pit } = law.rates[group] ?? law.rates.other;
  const above = revenue - law.threshold;
  const vatBase = law.vatOnWholeRevenue ? revenue : above;
  const pitBase = law.pitOnExcessOnly ? above : revenue;
  return Math.round(vat * vatBase) + Math.round(pit * pitBase);
}
