import { describe, expect, it } from 'vitest';
import { statsCsv } from '../../engine/publish/stats-csv.js';
import { parsePeriod } from '../../engine/stats/period.js';
import { periodStatsFixture } from './report-fixtures.js';
import { parseCsv } from './helpers.js';

describe('parsePeriod', () => {
  it.each([
    { input: '2025', start: '2025-01-01', end: '2026-01-01', months: 12 },
    { input: '2026-H1', start: '2026-01-01', end: '2026-07-01', months: 6 },
    { input: '2026-h2', start: '2026-07-01', end: '2027-01-01', months: 6 },
    { input: '2026-Q3', start: '2026-07-01', end: '2026-10-01', months: 3 },
    { input: '2026-Q4', start: '2026-10-01', end: '2027-01-01', months: 3 },
    { input: '2026-12', start: '2026-12-01', end: '2027-01-01', months: 1 },
  ])('$input', ({ input, start, end, months }) => {
    expect(parsePeriod(input)).toMatchObject({ start, end, months, year: Number(input.slice(0, 4)) });
  });

  it.each(['26', '2026-Q5', '2026-13', '2026-H3', 'H1-2026', ''])('rejects "%s"', (input) => {
    expect(() => parsePeriod(input)).toThrow(/expected YYYY, YYYY-H1\/H2/);
  });
});

describe('statsCsv', () => {
  it('writes one row per province then the total, with the period on every row', () => {
    const rows = parseCsv(statsCsv(periodStatsFixture).slice(1));
    expect(rows[0]!.slice(0, 3)).toEqual(['period', 'province', 'sellers']);
    expect(rows.map((r) => r[1])).toEqual(['province', 'Hồ Chí Minh', '<i>Hà Nội</i>', '', 'TOTAL']);
    expect(rows.slice(1).every((r) => r[0] === '2026')).toBe(true);
    expect(rows[4]![rows[0]!.indexOf('hit_rate')]).toBe('0.7500');
  });
});
