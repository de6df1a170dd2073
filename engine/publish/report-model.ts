/**
 * What report.html shows, as plain data: the run, data quality per source, totals, the cases
 * and the reasons the scorer used. The run folder builds it; `writeReportHtml` renders it.
 */
import type { CaseRow, ReasonInfo } from './case-row.js';
import type { RunDiff } from '../diff/index.js';
import type { PeriodStats } from '../stats/period.js';
import type { ModelCard } from '../warehouse/models.js';
import type { RevenueReconciliation } from '../features/reconcile.js';
import type { LoadProblem } from '../ingest/report.js';

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
  /** Tax codes and personal IDs whose leading zero, dropped by Excel, the loader restored (run.json `rows`). */
  restored?: number;
  /** Rows loaded with a warning (a malformed tax code or personal ID of another agency; run.json `rows`). */
  warnings?: number;
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

/**
 * The work list of a run: the first `cases` rows of the ranking (scored picks, then the random control slice).
 * Entities below it stay in cases.csv / .parquet as the full ranking; they are not "cases".
 */
export interface WorkListSummary {
  /** Rows on the work list (scored + control). */
  cases: number;
  /** Picked by expected yield (each has a reason or a positive tax gap). */
  scored: number;
  /** Drawn at random for the control slice. */
  control: number;
  /** Work-list cases with expected yield > 0. */
  with_expected_yield: number;
  /** Expected yield summed over the work list (VND). */
  expected_yield_vnd: number;
  /** Every entity ranked (the full ranking in cases.csv). */
  ranked: number;
}

export interface ReportModel {
  run: ReportRunInfo;
  /** The work list: the table shows these rows; the full ranking stays in the files. */
  workList: WorkListSummary;
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
  /** Rows no seller's record holds (COD parcels a warehouse booked with nothing of the seller's own, buyer
   * transfers into an account serving another seller). Absent = not shown. */
  unattributed?: Unattributed;
  /** Every COD parcel and bank credit of the tax year counted in revenue or not, and why (run.json
   * `revenue_reconciliation`). Absent = not shown (runs from before it). */
  reconciliation?: RevenueReconciliation;
  /** Files of an observed source this run lost whole (run.json `load_problems`): the first alerts of the summary.
   * Absent = none known (runs from before it). */
  loadProblems?: LoadProblem[];
}

/**
 * Totals over a case list; `entities` comes from the resolver, not from the cases. Each case counts
 * in whole VND, as the published list shows it (cells.ts), so a report rebuilt from the run folder
 * gives the same totals as the run's own (summing the unrounded figures was 1 VND off on
 * data-samples once the bank patterns changed, issue 14 rel9).
 *
 * @example caseTotals(rows, 5120) // { entities: 5120, cases: 812, expected_yield_vnd: …, tax_gap_vnd: … }
 */
export function caseTotals(rows: readonly CaseRow[], entities: number): ReportTotals {
  let expected = 0;
  let gap = 0;
  for (const r of rows) {
    if (Number.isFinite(r.expected_yield_vnd)) expected += Math.round(r.expected_yield_vnd!);
    if (Number.isFinite(r.tax_gap_vnd)) gap += Math.round(r.tax_gap_vnd!);
  }
  return { entities, cases: rows.length, expected_yield_vnd: expected, tax_gap_vnd: gap };
}

/**
 * The work list's counts from the ranking (best first) and its length.
 *
 * @example workListSummary(rows, 500) // { cases: 500, scored: 485, control: 15, with_expected_yield: 311, … }
 */
export function workListSummary(rows: readonly CaseRow[], length: number): WorkListSummary {
  const list = rows.slice(0, Math.min(length, rows.length));
  let control = 0;
  let positive = 0;
  let expected = 0;
  for (const r of list) {
    if (r.control_slice === 1) control++;
    if (Number.isFinite(r.expected_yield_vnd) && r.expected_yield_vnd! > 0) {
      positive++;
      expected += r.expected_yield_vnd!;
    }
  }
  return {
    cases: list.length,
    scored: list.length - control,
    control,
    with_expected_yield: positive,
    expected_yield_vnd: Math.round(expected),
    ranked: rows.length,
  };
}

/**
 * Source rows linked to no seller (run.json `unattributed`): in all (`rows`, `vnd`: delivered COD
 * value plus credited amounts) and per source (`by_source`; absent in runs from before it). `source`
 * names the sources with rows, comma-separated.
 */
export interface Unattributed {
  rows: number;
  vnd: number;
  source: string;
  by_source?: { source: string; rows: number; vnd: number }[];
}
