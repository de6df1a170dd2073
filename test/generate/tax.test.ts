/**
 * The generator's tax law (engine/generate/tax.ts) against the law and against the engine's own
 * implementation (engine/config/tax-rules.ts): two computations written apart must agree, or
 * truth/ and the engine's gap estimates are measuring different laws.
 */
import { describe, expect, it } from 'vitest';
import { activityGroups as engineGroups, rulesForYear, taxDue } from '../../engine/config/tax-rules.js';
import { activityGroups, taxLawOf, taxOwed, type TaxLaw } from '../../engine/generate/tax.js';

describe('the generator’s tax law', () => {
  it.each([
    { revenue: 100_000_000, group: 'goods', year: 2025, due: 0 },
    { revenue: 100_000_001, group: 'goods', year: 2025, due: 1_000_000 + 500_000 },
    { revenue: 400_000_000, group: 'services', year: 2025, due: 20_000_000 + 8_000_000 },
    { revenue: 400_000_000, group: 'services', year: 2026, due: 0 },
    { revenue: 600_000_000, group: 'goods', year: 2026, due: 6_000_000 + 500_000 },
    { revenue: 1_000_000_000, group: 'property_lease', year: 2027, due: 50_000_000 + 25_000_000 },
    { revenue: 300_000_000, group: 'production_transport', year: 2022, due: 9_000_000 + 4_500_000 },
    { revenue: 300_000_000, group: 'other', year: 2024, due: 6_000_000 + 3_000_000 },
  ] as const)('$group, $revenue VND in $year: $due', ({ revenue, group, year, due }) => {
    expect(taxOwed(revenue, group, taxLawOf(year))).toBe(due);
  });

  it('a table replaces the built-in law: the latest listed year not after, else the earliest', () => {
    const a: TaxLaw = { ...taxLawOf(2025), threshold: 1 };
    const b: TaxLaw = { ...taxLawOf(2025), threshold: 2 };
    const table = { '2024': a, '2027': b };
    expect([2020, 2024, 2026, 2027, 2030].map((y) => taxLawOf(y, table).threshold)).toEqual([1, 1, 1, 2, 2]);
    expect(() => taxLawOf(2025, {})).toThrow(/empty/);
  });

  it('VAT on the excess only when the law says so', () => {
    const law: TaxLaw = { ...taxLawOf(2026), vatOnWholeRevenue: false };
    expect(taxOwed(600_000_000, 'goods', law)).toBe(1_000_000 + 500_000);
  });

  it('agrees with the engine’s computation for every group, year and a spread of revenues', () => {
    expect([...activityGroups]).toEqual([...engineGroups]);
    const revenues = [
      0, 99_999_999, 100_000_000, 100_000_001, 250_000_000, 499_999_999, 500_000_000, 500_000_001, 777_777_777,
      3_000_000_000, 12_345_678_901,
    ];
    const disagreements: string[] = [];
    for (let year = 2022; year <= 2030; year++) {
      for (const group of activityGroups) {
        for (const revenue of revenues) {
          const ours = taxOwed(revenue, group, taxLawOf(year));
          const engine = taxDue(revenue, group, rulesForYear(year)).total;
          if (ours !== engine) disagreements.push(`${year} ${group} ${revenue}: generator ${ours}, engine ${engine}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
