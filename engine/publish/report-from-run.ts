/**
 * A report model rebuilt from a published run folder (cases.json, run.json, rejects.csv) and its
 * workspace (the model card, the previous run for the diff, the warehouse for the tax year's
 * statistics). Lets the report be re-rendered after the fact, e.g. for the committed example.
 */
import { join } from 'node:path';
import { diffRuns } from '../diff/index.js';
import { allRules } from '../score/rules/index.js';
import { parsePeriod, periodStats } from '../stats/period.js';
import { literal, openDb, type Db } from '../warehouse/db.js';
import { listModels } from '../warehouse/models.js';
import type { Workspace } from '../warehouse/workspace.js';
import type { TaxYearRules } from '../config/tax-rules.js';
import type { ReasonInfo } from './case-row.js';
import { caseTotals, type ReportModel, type SourceQuality } from './report-model.js';
import { previousRunDir, readRunCases, readRunJson } from './run-ref.js';

/** The reason codes every run explains (the scorer's rules). */
export const ruleReasons = (): ReasonInfo[] => allRules.map((r) => ({ code: r.id, label_vi: r.label_vi, label_en: r.label_en }));

/**
 * Data quality per source from run.json's row counts and the run's rejects.csv (top 5 reasons).
 *
 * @example await sourceQualityFromRun('WS/runs/r1')
 */
export async function sourceQualityFromRun(runDir: string): Promise<SourceQuality[]> {
  const run = readRunJson(runDir);
  const db = await openDb(':memory:');
  try {
    const top = await db.all<{ source: string; reason: string; n: number }>(
      `select source, reason, count(*)::bigint as n
       from read_csv(${literal(join(runDir, 'rejects.csv'))}, header = true, all_varchar = true)
       group by all order by source, n desc, reason`,
    );
    return Object.entries(run.rows ?? {}).map(([source, s]) => ({
      source,
      read: s.read,
      loaded: s.loaded,
      rejected: s.rejected,
      top_rejects: top.filter((t) => t.source === source).slice(0, 5).map((t) => ({ reason: t.reason, count: t.n })),
    }));
  } finally {
    db.close();
  }
}

/**
 * Everything report.html shows, for a published run: with `ws` the model card and the changes
 * since the previous run; with `db` (the warehouse) the tax year's statistics too.
 *
 * @example const model = await reportModelFromRun(ws.runDir(id), { ws, db }); await writeReportHtml(file, model);
 */
export async function reportModelFromRun(runDir: string, opts: { ws?: Workspace; db?: Db; taxRules?: Record<string, TaxYearRules> } = {}): Promise<ReportModel> {
  const run = readRunJson(runDir);
  const cases = readRunCases(runDir);
  const model: ReportModel = {
    run: {
      run_id: run.run_id,
      started_at: run.started_at,
      finished_at: run.finished_at,
      tax_year: run.tax_year,
      engine_version: run.engine_version,
      config_hash: run.config_hash,
      model_id: run.model_id,
    },
    sources: await sourceQualityFromRun(runDir),
    totals: caseTotals(cases, run.entities ?? cases.length),
    cases,
    reasons: ruleReasons(),
    scorer: run.scorer,
  };
  if (run.unattributed) model.unattributed = run.unattributed;
  if (opts.ws) {
    model.model = run.model_id ? (listModels(opts.ws).find((c) => c.model_id === run.model_id) ?? null) : null;
    const prev = previousRunDir(opts.ws, run.run_id);
    model.diff = prev ? diffRuns(prev, runDir) : null;
  }
  if (opts.db && run.tax_year) model.stats = await periodStats(opts.db, parsePeriod(String(run.tax_year)), { taxRules: opts.taxRules });
  return model;
}
