/**
 * Tax rules for household / individual businesses, versioned by tax year (docs/domain.md).
 * Every figure is configuration: a config file can override any year or add a new one.
 */
export const activityGroups = ['goods', 'services', 'production_transport', 'property_lease', 'other'] as const;
export type ActivityGroup = (typeof activityGroups)[number];

export interface Rates {
  vat: number;
  pit: number;
}

export interface TaxYearRules {
  /** Non-taxable annual revenue in VND. */
  threshold: number;
  /** From 2026 PIT is charged on (revenue − threshold) instead of the whole revenue. */
  pitOnExcessOnly: boolean;
  /** From 2026: does VAT apply to the whole revenue (true, default) or to the excess only? Not settled in law. */
  vatOnWholeRevenue: boolean;
  rates: Record<ActivityGroup, Rates>;
}

const rates: Record<ActivityGroup, Rates> = {
  goods: { vat: 0.01, pit: 0.005 },
  services: { vat: 0.05, pit: 0.02 },
  production_transport: { vat: 0.03, pit: 0.015 },
  property_lease: { vat: 0.05, pit: 0.05 },
  other: { vat: 0.02, pit: 0.01 },
};

/** Rules up to tax year 2025 (threshold 100 million, tax on the whole revenue). */
export const rulesUpTo2025: TaxYearRules = { threshold: 100_000_000, pitOnExcessOnly: false, vatOnWholeRevenue: true, rates };
/** Rules from tax year 2026 (threshold 500 million, PIT on the excess; VAT flag). */
export const rulesFrom2026: TaxYearRules = { threshold: 500_000_000, pitOnExcessOnly: true, vatOnWholeRevenue: true, rates };

export const defaultTaxRules: Record<string, TaxYearRules> = {
  '2024': rulesUpTo2025,
  '2025': rulesUpTo2025,
  '2026': rulesFrom2026,
};

/** The rules for a tax year: the year itself, else the nearest earlier configured year. */
export function rulesForYear(year: number, table: Record<string, TaxYearRules> = defaultTaxRules): TaxYearRules {
  const years = Object.keys(table).map(Number).sort((a, b) => a - b);
  let chosen = years[0]!;
  for (const y of years) if (y <= year) chosen = y;
  return table[String(chosen)]!;
}

export function isActivityGroup(v: unknown): v is ActivityGroup {
  return typeof v === 'string' && (activityGroups as readonly string[]).includes(v);
}

/**
 * Tax due (VAT + PIT) on a year's revenue.
 *
 * @example taxDue(600_000_000, 'goods', rulesFrom2026) // { vat: 6_000_000, pit: 500_000, total: 6_500_000 }
 */
export function taxDue(revenue: number, group: ActivityGroup, rules: TaxYearRules): { vat: number; pit: number; total: number } {
  if (!(revenue > rules.threshold)) return { vat: 0, pit: 0, total: 0 };
  const r = rules.rates[group] ?? rules.rates.other;
  const excess = revenue - rules.threshold;
  const vat = Math.round(r.vat * (rules.vatOnWholeRevenue ? revenue : excess));
  const pit = Math.round(r.pit * (rules.pitOnExcessOnly ? excess : revenue));
  return { vat, pit, total: vat + pit };
}
