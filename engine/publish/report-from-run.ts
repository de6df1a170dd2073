/**
 * The report model, built by one function for its two callers: the run (from what it holds) and a
 * rebuild from a published run folder (cases.json, run.json, rejects.csv) and its workspace (the
 * model card, the previous run for the diff, the warehouse for the tax year's statistics), which
 * lets the report be re-rendered after the fact, e.g. for the committed example.
 */
import { join } from 'node:path';
import { diffRuns } from './run-diff.js';
import { allRules } from '../score/rules/index.js';
import { ESTIMATED_RATE_REASON, TRANSFERS_GROUP_REASON } from '../score/score.js';
import { parsePeriod, periodStats } from '../stats/period.js';
import { literal, openDb, type Db } from '../warehouse/db.js';
import { listModels } from '../warehouse/models.js';
import type { Workspace } from '../warehouse/workspace.js';
import type { TaxYearRules } from '../config/tax-rules.js';
import type { ActivityOptions } from '../score/activity.js';
import type { RevenueReconciliation } from '../features/reconcile.js';
import type { CaseRow, ReasonInfo } from './case-row.js';
import type { LoadProblem } from '../ingest/report.js';
import {
  caseTotals,
  type ReportModel,
  type ReportRunInfo,
  type SourceQuality,
  type Unattributed,
  workListSummary,
} from './report-model.js';
import { previousRunDir, readRunCases, readRunJson } from './run-ref.js';

/** The reason codes every run explains (the scorer's rules, and the estimated-rate line). */
export const ruleReasons = (): ReasonInfo[] => [
  ...allRules.map((r) => ({ code: r.id, label_vi: r.label_vi, label_en: r.label_en })),
  { ...ESTIMATED_RATE_REASON },
  { ...TRANSFERS_GROUP_REASON },
];

/** Where the report's optional parts come from; `activity`: how the year's statistics price unclassified sellers. */
export interface ReportSources {
  ws?: Workspace;
  db?: Db;
  taxRules?: Record<string, TaxYearRules>;
  activity?: ActivityOptions;
}

/**
 * Data quality per source: the run's row counts and the 5 most frequent reject reasons of
 * `rejects`, a relation with `source` and `reason` columns (the warehouse's rejects of the run, or
 * a run folder's rejects.csv).
 *
 * @example await sourceQuality(db, `read_csv('WS/runs/r1/rejects.csv', all_varchar = true)`, run.rows)
 */
export async function sourceQuality(
  db: Db,
  rejects: string,
  rows: Record<string, { read: number; loaded: number; rejected: number; warnings?: number; restored?: number }>,
): Promise<SourceQuality[]> {
  const top = await db.all<{ source: string; reason: string; n: number }>(
    `select source, reason, count(*)::bigint as n from ${rejects} group by all order by source, n desc, reason`,
  );
  return Object.entries(rows).map(([source, s]) => ({
    source,
    read: s.read,
    loaded: s.loaded,
    rejected: s.rejected,
    ...(s.restored ? { restored: s.restored } : {}),
    ...(s.warnings ? { warnings: s.warnings } : {}),
    top_rejects: top
      .filter((t) => t.source === source)
      .slice(0, 5)
      .map((t) => ({ reason: t.reason, count: t.n })),
  }));
}

/** Data quality per source from a run folder: run.json's row counts and its rejects.csv. */
export async function sourceQualityFromRun(runDir: string): Promise<SourceQuality[]> {
  const run = readRunJson(runDir);
  const db = await openDb(':memory:');
  try {
    return await sourceQuality(
      db,
      `read_csv(${literal(join(runDir, 'rejects.csv'))}, header = true, all_varchar = true)`,
      run.rows ?? {},
    );
  } finally {
    db.close();
  }
}

/** What a run knows of itself when its report is built. */
export interface ReportParts {
  run: ReportRunInfo;
  sources: SourceQuality[];
  /** The full ranking, best first. */
  cases: readonly CaseRow[];
  /** Length of the work list (its first rows); absent = every row (a run from before the work list). */
  workList?: number;
  /** Seller entities resolved (cases are the ones on the list). */
  entities: number;
  scorer?: string;
  /** Rows linked to no seller (run.json `unattributed`): warehouse parcels, buyer transfers into a served account. */
  unattributed?: Unattributed;
  /** COD parcels and bank credits of the tax year counted in revenue or why not (run.json `revenue_reconciliation`). */
  reconciliation?: RevenueReconciliation;
  /** Files of an observed source lost whole (run.json `load_problems`). */
  loadProblems?: LoadProblem[];
}

/**
 * The one builder of the report model, for the run (from what it holds in memory) and for
 * `reportModelFromRun` (from a published folder): with `ws` the model card and the changes since
 * the previous run (`runDir` holds this run's cases.json); with `db` the tax year's statistics.
 *
 * @example const model = await buildReportModel(dir, { run, sources, cases: rows, entities }, { ws, db });
 */
export async function buildReportModel(
  runDir: string,
  parts: ReportParts,
  opts: ReportSources = {},
): Promise<ReportModel> {
  const workList = workListSummary(parts.cases, parts.workList ?? parts.cases.length);
  const model: ReportModel = {
    run: parts.run,
    workList,
    sources: parts.sources,
    totals: caseTotals(parts.cases.slice(0, workList.cases), parts.entities),
    cases: parts.cases,
    reasons: ruleReasons(),
    scorer: parts.scorer,
  };
  if (parts.unattributed) model.unattributed = parts.unattributed;
  if (parts.reconciliation) model.reconciliation = parts.reconciliation;
  if (parts.loadProblems) model.loadProblems = parts.loadProblems;
  if (opts.ws) {
    const modelId = parts.run.model_id;
    model.model = modelId ? (listModels(opts.ws).find((c) => c.model_id === modelId) ?? null) : null;
    const prev = previousRunDir(opts.ws, parts.run.run_id);
    model.diff = prev ? diffRuns(prev, runDir) : null;
  }
  if (opts.db && parts.run.tax_year)
    model.stats = await periodStats(opts.db, parsePeriod(String(parts.run.tax_year)), {
      taxRules: opts.taxRules,
      ...(opts.activity && { activity: opts.activity }),
    });
  return model;
}

/**
 * Everything report.html shows, for a published run: with `ws` the model card and the changes
 * since the previous run; with `db` (the run's snapshot: the warehouse keeps no work tables of a
 * finished run) the tax year's statistics too.
 *
 * @example const model = await reportModelFromRun(ws.runDir(id), { ws, db: await openRunSnapshot(ws.runDir(id)) });
 */
export async function reportModelFromRun(runDir: string, opts: ReportSources = {}): Promise<ReportModel> {
  const run = readRunJson(runDir);
  const cases = readRunCases(runDir);
  const info: ReportRunInfo = {
    run_id: run.run_id,
    started_at: run.started_at,
    finished_at: run.finished_at,
    tax_year: run.tax_year,
    engine_version: run.engine_version,
    config_hash: run.config_hash,
    model_id: run.model_id,
  };
  const parts = {
    run: info,
    sources: await sourceQualityFromRun(runDir),
    cases,
    entities: run.entities ?? cases.length,
    ...(typeof run.work_list?.cases === 'number' && { workList: run.work_list.cases }),
    scorer: run.scorer,
    ...(run.unattributed && { unattributed: run.unattributed }),
    ...(run.revenue_reconciliation && { reconciliation: run.revenue_reconciliation }),
    ...(run.load_problems && { loadProblems: run.load_problems }),
  };
  // The statistics priced the way the run priced its cases (run.json's `activity`), unless the caller says.
  const activity = opts.activity ?? run.activity;
  return buildReportModel(runDir, parts, { ...opts, ...(activity && { activity }) });
}
