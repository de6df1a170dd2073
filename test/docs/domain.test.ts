/**
 * docs/domain.md stays true to the defaults in code: the tax rules by year
 * (engine/config/tax-rules.ts) and the 63 → 34 province table (engine/normalize/province.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activityGroups, defaultTaxRules, rulesForYear } from '../../engine/config/tax-rules.js';
import { currentProvinces } from '../../engine/normalize/province.js';

const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/domain.md'), 'utf8');
const percent = (x: number) => `${String(Math.round(x * 1000) / 10)} %`;

describe('docs/domain.md matches the code', () => {
  it.each(activityGroups.map((g) => ({ group: g })))('rates of $group', ({ group }) => {
    // The rates are the same every year by default; the page shows them once.
    const years = Object.keys(defaultTaxRules);
    const rates = years.map((y) => defaultTaxRules[y]!.rates[group]);
    expect(new Set(rates.map((r) => `${r.vat}/${r.pit}`)).size).toBe(1);
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${group}\``));
    expect(row, `no row for ${group}`).toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    expect(cells.slice(2, 5)).toEqual([
      percent(rates[0]!.vat),
      percent(rates[0]!.pit),
      percent(rates[0]!.vat + rates[0]!.pit),
    ]);
  });

  it('thresholds and flags by tax year', () => {
    const [upTo2025, from2026] = [rulesForYear(2025), rulesForYear(2026)];
    const row = doc.split('\n').find((l) => l.startsWith('| non-taxable annual revenue'))!;
    expect(row).toContain(
      `${upTo2025.threshold.toLocaleString('en')} VND | ${from2026.threshold.toLocaleString('en')} VND`,
    );
    expect(upTo2025.pitOnExcessOnly).toBe(false);
    expect(from2026.pitOnExcessOnly).toBe(true);
    expect(from2026.vatOnWholeRevenue).toBe(true);
    expect(doc).toContain('the whole revenue by default; **not settled in law**');
  });

  it('every current province and every province it absorbed', () => {
    const section = doc.slice(doc.indexOf('## Provinces'), doc.indexOf('## Money'));
    expect(currentProvinces).toHaveLength(34);
    for (const p of currentProvinces) {
      expect(section).toContain(p.name);
      for (const old of p.old) expect(section, `${old} → ${p.name}`).toContain(old);
    }
    const merged = currentProvinces.filter((p) => p.old.length > 1 || p.old[0] !== p.name);
    for (const p of merged.filter((m) => m.name !== 'Huế')) {
      const absorbed = p.old.slice(1).join(', ');
      expect(section, `${p.name} ← ${absorbed}`).toMatch(new RegExp(`\\| ${p.name} \\| ${absorbed} \\|`));
    }
  });
});
