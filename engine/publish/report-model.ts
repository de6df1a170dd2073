/**
 * What report.html shows, as plain data: the run, data quality per source, totals, the cases
 * and the reasons the scorer used. The run folder builds it; `writeReportHtml` renders it.
 */
import type { CaseRow, ReasonInfo } from './case-row.js';
import type { RunDiff } from '../diff/index.js';
import type { PeriodStats } from '../stats/period.js';
import type { ModelCard } from '../warehouse/models.js';

export interface ReportRunInfo {
  run_id: string;
  /** ISO 8601 timestamps. */
  started_at: string;
  finished_at: string;
  tax_year: number | null;
  engine_version: string;
  config_hash: string;
  model_id: string | null;
}

export interface RejectReasonCount {
  reason: string;
  count: number;
}

/** Row counts of one source in this run (every row read is loaded or rejected). */
export interface SourceQuality {
  source: string;
  read: number;
  loaded: number;
  rejected: number;
  /** Most frequent reject reasons, most frequent first. */
  top_rejects: RejectReasonCount[];
}

export interface ReportTotals {
  /** Seller entities resolved in the run (cases are the ones on the list). */
  entities: number;
  cases: number;
  expected_yield_vnd: number;
  tax_gap_vnd: number;
}

export interface ReportModel {
  run: ReportRunInfo;
  sources: SourceQuality[];
  totals: ReportTotals;
  /** All cases, best first; charts use all of them, the table embeds the first `maxCases`. */
  cases: readonly CaseRow[];
  reasons: readonly ReasonInfo[];
  /** How the run scored (run.json `scorer`), e.g. why no model was trained. */
  scorer?: string;
  /** Card of the model the run used (WS/models/<id>.card.json); null = rules only. Absent = section not shown. */
  model?: ModelCard | null;
  /** Changes against the previous run (`diffRuns`); null = no previous run. Absent = section not shown. */
  diff?: RunDiff | null;
  /** Statistics of the tax year by province (`periodStats`). Absent = section not shown. */
  stats?: PeriodStats | null;
  /** Rows no seller's record holds (COD parcels a warehouse booked with nothing of the seller's own). Absent = not
   * shown. */
  unattributed?: { rows: number; vnd: number; source: string };
}

/**
 * Totals over a case list; `entities` comes from the resolver, not from the cases.
 *
 * @example caseTotals(rows, 5120) // { entities: 5120, cases: 812, expected_yield_vnd: …, tax_gap_vnd: … }
 */
export function caseTotals(rows: readonly CaseRow[], entities: number): ReportTotals {
  let expected = 0;
  let gap = 0;
  for (const r of rows) {
    if (Number.isFinite(r.expected_yield_vnd)) expected += r.expected_yield_vnd!;
    if (Number.isFinite(r.tax_gap_vnd)) gap += r.tax_gap_vnd!;
  }
  return { entities, cases: rows.length, expected_yield_vnd: Math.round(expected), tax_gap_vnd: Math.round(gap) };
}
