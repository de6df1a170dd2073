import { describe, expect, it } from 'vitest';
import { loadConfig, configHash, defaultConfig } from '../../engine/config/index.js';
import { rulesForYear, taxDue, rulesFrom2026, rulesUpTo2025 } from '../../engine/config/tax-rules.js';
import { ConfigError } from '../../engine/errors.js';
import { tempDir, writeFiles } from '../helpers.js';

describe('taxDue', () => {
  it.each([
    { year: 2025, revenue: 100_000_000, group: 'goods', total: 0 }, // at the threshold: not taxable
    {
      year: 2025,
      revenue: 100_000_001,
      group: 'goods',
      total: Math.round(0.01 * 100_000_001) + Math.round(0.005 * 100_000_001),
    },
    { year: 2025, revenue: 1_000_000_000, group: 'goods', total: 15_000_000 },
    { year: 2025, revenue: 1_000_000_000, group: 'services', total: 70_000_000 },
    { year: 2025, revenue: 1_000_000_000, group: 'production_transport', total: 45_000_000 },
    { year: 2025, revenue: 1_000_000_000, group: 'property_lease', total: 100_000_000 },
    { year: 2025, revenue: 1_000_000_000, group: 'other', total: 30_000_000 },
    { year: 2026, revenue: 500_000_000, group: 'goods', total: 0 },
    // 2026: VAT 1 % on the whole 600 M, PIT 0.5 % on the 100 M above the threshold
    { year: 2026, revenue: 600_000_000, group: 'goods', total: 6_000_000 + 500_000 },
    { year: 2026, revenue: 1_500_000_000, group: 'services', total: 75_000_000 + 20_000_000 },
  ] as const)('$year $group $revenue → $total', ({ year, revenue, group, total }) => {
    expect(taxDue(revenue, group, rulesForYear(year)).total).toBe(total);
  });

  it('applies VAT to the excess only when the 2026 flag says so', () => {
    const rules = { ...rulesFrom2026, vatOnWholeRevenue: false };
    expect(taxDue(600_000_000, 'goods', rules)).toEqual({ vat: 1_000_000, pit: 500_000, total: 1_500_000 });
  });

  it('falls back to the nearest earlier configured year', () => {
    expect(rulesForYear(2030)).toBe(rulesFrom2026);
    expect(rulesForYear(2019)).toBe(rulesUpTo2025); // before the first year: the first year
  });
});

describe('loadConfig', () => {
  const dir = tempDir();
  it('overlays a file on the defaults', () => {
    writeFiles(dir, { 'c.json': JSON.stringify({ rank: { capacity: 50 } }) });
    const c = loadConfig(`${dir}/c.json`);
    expect(c.rank.capacity).toBe(50);
    expect(c.rank.controlShare).toBe(defaultConfig.rank.controlShare);
    expect(configHash(c)).not.toBe(configHash(defaultConfig));
  });
  it('reports every problem at once, naming the keys', () => {
    writeFiles(dir, { 'bad.json': JSON.stringify({ threads: 0, memoryLimit: 'lots', rank: { controlShare: 2 } }) });
    try {
      loadConfig(`${dir}/bad.json`);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.problems.join('\n')).toMatch(/threads/);
      expect(e.problems.join('\n')).toMatch(/memoryLimit/);
      expect(e.problems.join('\n')).toMatch(/controlShare/);
    }
  });
  it('names a file that is not JSON', () => {
    writeFiles(dir, { 'x.json': '{ nope' });
    expect(() => loadConfig(`${dir}/x.json`)).toThrow(/x\.json.*not valid JSON/);
  });
  it('hash does not depend on key order', () => {
    const reordered = Object.fromEntries(Object.entries(defaultConfig).reverse()) as typeof defaultConfig;
    expect(configHash(reordered)).toBe(configHash(defaultConfig));
  });
});
