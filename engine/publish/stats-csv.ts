/** stats.csv: the period statistics of stats/ (`periodStats`) as a file for people. */
import type { PeriodStats, ProvinceStats } from '../stats/period.js';
import { csvText } from './csv.js';

export const statsColumns: readonly (keyof ProvinceStats)[] = [
  'province',
  'sellers',
  'sellers_platform',
  'sellers_cod',
  'sellers_bank',
  'platform_revenue_vnd',
  'cod_revenue_vnd',
  'bank_revenue_vnd',
  'observed_revenue_vnd',
  'declared_revenue_vnd',
  'sellers_with_gap',
  'tax_gap_vnd',
  'audits',
  'audits_undeclared',
  'hit_rate',
  'assessed_tax_vnd',
  'yield_per_case_vnd',
];

/**
 * The statistics as CSV (UTF-8 with BOM, CRLF): a `period` column, one row per province, then `TOTAL`.
 *
 * @example writeFileSync('stats-2026-H1.csv', statsCsv(s));
 */
export function statsCsv(s: PeriodStats): string {
  const value = (r: ProvinceStats, k: keyof ProvinceStats) => {
    const v = r[k];
    if (k === 'province') return v === null ? 'TOTAL' : csvText(String(v));
    if (v === null) return '';
    return k === 'hit_rate' ? (v as number).toFixed(4) : String(v);
  };
  const lines = [['period', ...statsColumns].join(',')];
  for (const r of [...s.rows, s.total]) lines.push([s.period.label, ...statsColumns.map((k) => value(r, k))].join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
