/**
 * Tax rules for household / individual businesses, versioned by tax year (docs/domain.md).
 * Every figure is configuration: a config file can override any year or add a new one.
 */
import { z } from 'zod';

export const activityGroups = ['goods', 'services', 'production_transport', 'property_lease', 'other'] as const;
export type ActivityGroup = (typeof activityGroups)[number];

const fraction = z.number().min(0).lt(1);

export const ratesSchema = z.strictObject({
  vat: fraction.describe('VAT as a fraction of revenue (0.01 = 1 %).'),
  pit: fraction.describe('PIT as a fraction of revenue, or of the excess over the threshold when `pitOnExcessOnly`.'),
});
export type Rates = z.infer<typeof ratesSchema>;

const groupRates = (label: string) => ratesSchema.describe(`Rates of the ${label} group.`);

/** One tax year's rules; every part is required (a year missing from the defaults must be given whole). */
export const taxYearRulesSchema = z.strictObject({
  threshold: z.number().min(0).describe('Non-taxable annual revenue in VND.'),
  pitOnExcessOnly: z
    .boolean()
    .describe('From 2026 PIT is charged on (revenue − threshold) instead of the whole revenue.'),
  vatOnWholeRevenue: z
    .boolean()
    .describe(
      'From 2026: VAT on the whole revenue (true) or on the excess over the threshold only (false); ' +
        'not settled in law.',
    ),
  rates: z
    .strictObject({
      goods: groupRates('goods'),
      services: groupRates('services'),
      production_transport: groupRates('production, transport and services with goods'),
      property_lease: groupRates('property lease'),
      other: groupRates('other activities'),
    })
    .describe('VAT and PIT rates per activity group.'),
});
export type TaxYearRules = z.infer<typeof taxYearRulesSchema>;

const rates: Record<ActivityGroup, Rates> = {
  goods: { vat: 0.01, pit: 0.005 },
  services: { vat: 0.05, pit: 0.02 },
  production_transport: { vat: 0.03, pit: 0.015 },
  property_lease: { vat: 0.05, pit: 0.05 },
  other: { vat: 0.02, pit: 0.01 },
};

/** Rules up to tax year 2025 (threshold 100 million, tax on the whole revenue). */
export const rulesUpTo2025: TaxYearRules = {
  threshold: 100_000_000,
  pitOnExcessOnly: false,
  vatOnWholeRevenue: true,
  rates,
};
/** Rules from tax year 2026 (threshold 500 million, PIT on the excess; VAT flag). */
export const rulesFrom2026: TaxYearRules = {
  threshold: 500_000_000,
  pitOnExcessOnly: true,
  vatOnWholeRevenue: true,
  rates,
};

export const defaultTaxRules: Record<string, TaxYearRules> = {
  '2024': rulesUpTo2025,
  '2025': rulesUpTo2025,
  '2026': rulesFrom2026,
};

/** The `taxRules` section: tax year → its rules, at least one year. */
export const taxRulesSchema = z
  .record(
    z.string().regex(/^\d{4}$/, 'key must be a tax year like "2026"'),
    taxYearRulesSchema.describe("One tax year's rules."),
  )
  .refine((table) => Object.keys(table).length > 0, 'expected at least one tax year')
  .default(defaultTaxRules)
  .meta({ keyName: 'year' })
  .describe(
    'Tax rules by tax year; a run uses its tax year, else the nearest earlier configured year. ' +
      'A year of the defaults may be given in part (the rest keeps its default); a new year needs every part.',
  );

/** The rules for a tax year: the year itself, else the nearest earlier configured year. */
export function rulesForYear(year: number, table: Record<string, TaxYearRules> = defaultTaxRules): TaxYearRules {
  const years = Object.keys(table)
    .map(Number)
    .sort((a, b) => a - b);
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
export function taxDue(
  revenue: number,
  group: ActivityGroup,
  rules: TaxYearRules,
): { vat: number; pit: number; total: number } {
  if (!(revenue > rules.threshold)) return { vat: 0, pit: 0, total: 0 };
  const r = rules.rates[group] ?? rules.rates.other;
  const excess = revenue - rules.threshold;
  const vat = Math.round(r.vat * (rules.vatOnWholeRevenue ? revenue : excess));
  const pit = Math.round(r.pit * (rules.pitOnExcessOnly ? excess : revenue));
  return { vat, pit, total: vat + pit };
}
