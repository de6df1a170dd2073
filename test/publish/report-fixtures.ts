/** A report model with every optional part filled (model card, diff, statistics), for page tests. */
import { diffCases } from '../../engine/diff/index.js';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { caseTotals, type ReportModel, workListSummary } from '../../engine/publish/report-model.js';
import type { PeriodStats, ProvinceStats } from '../../engine/stats/period.js';
import type { ModelCard } from '../../engine/warehouse/models.js';
import { reasons } from './fixtures.js';

export const modelCard: ModelCard = {
  model_id: 'forest-2026-0123456789ab',
  created_at: '2026-12-01T02:01:00.000Z',
  tax_year: 2026,
  data_hash: 'sha256:0123456789abcdef',
  config_hash: 'c0ffee',
  labels: 240,
  positives: 96,
  random_labels: 40,
  cv_auc: 0.8714,
  cv_precision_at_tenth: 0.7917,
  feature_importance: [
    { feature: 'observed_to_declared_ln', importance: 0.21 },
    { feature: 'cod_sales_ln', importance: 0.14 },
    { feature: '<script>x</script>', importance: 0.05 },
  ],
};

const provinceRow = (province: string | null, n: number): ProvinceStats => ({
  province,
  sellers: n,
  sellers_platform: n - 1,
  sellers_cod: Math.floor(n / 2),
  sellers_bank: 1,
  platform_revenue_vnd: n * 1e9,
  cod_revenue_vnd: n * 2e8,
  bank_revenue_vnd: 5e7,
  observed_revenue_vnd: n * 1.2e9 + 5e7,
  declared_revenue_vnd: n * 4e8,
  sellers_with_gap: n - 1,
  tax_gap_vnd: n * 1.2e7,
  audits: 4,
  audits_undeclared: 3,
  hit_rate: 0.75,
  assessed_tax_vnd: 4e7,
  yield_per_case_vnd: 1e7,
});

export const periodStatsFixture: PeriodStats = {
  period: { label: '2026', year: 2026, start: '2026-01-01', end: '2027-01-01', months: 12 },
  rows: [provinceRow('Hồ Chí Minh', 40), provinceRow('<i>Hà Nội</i>', 25), provinceRow('', 3)],
  total: provinceRow(null, 68),
};

/** Every part of the page filled: the previous run is the same list with a few changes. */
export function fullReportModel(cases: CaseRow[]): ReportModel {
  const previous = cases.slice(3).map((r, k) => ({ ...r, rank: k + 1 }));
  previous.push({ ...cases[0]!, entity_id: 'E-gone', rank: previous.length + 1 });
  return {
    run: {
      run_id: '20261201-020000-ab12cd',
      started_at: '2026-12-01T02:00:00.000Z',
      finished_at: '2026-12-01T02:03:10.000Z',
      tax_year: 2026,
      engine_version: '0.1.0',
      config_hash: 'c0ffee',
      model_id: modelCard.model_id,
    },
    workList: workListSummary(cases, cases.length),
    sources: [
      {
        source: 'cod_shipments',
        read: 1000,
        loaded: 990,
        rejected: 10,
        top_rejects: [{ reason: 'cod_amount: not a whole number', count: 10 }],
      },
    ],
    totals: caseTotals(cases, cases.length * 3),
    cases,
    reasons,
    scorer: 'calibrated forest (weight 0.5) blended with rules',
    model: modelCard,
    diff: diffCases('20261124-020000-ffffff', previous, '20261201-020000-ab12cd', cases),
    stats: periodStatsFixture,
  };
}
