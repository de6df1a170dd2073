import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { changedSettings, configHash, rulesForYear, type Config } from './config/index.js';
import { InputError, WorkspaceError } from './errors.js';
import { loadDelivery, type LoadSummary } from './ingest/load.js';
import type { Logger } from './log.js';
import { installNormalizeMacros } from './normalize/sql.js';
import type { CaseRow, ReasonInfo } from './publish/case-row.js';
import { caseTotals } from './publish/report-model.js';
import { writeCaseExports } from './publish/exports.js';
import { writeReportHtml } from './publish/report.js';
import { previousRunDir } from './publish/run-ref.js';
import { diffRuns } from './diff/index.js';
import { parsePeriod, periodStats } from './stats/period.js';
import { listModels } from './warehouse/models.js';
import { abandonRunFolder, beginRunFolder, commitRunFolder, writeJson, writeMembersCsv, writeRejectsCsv } from './publish/run-folder.js';
import { resolveExact } from './resolve/exact.js';
import { resolveIdentities } from './resolve/identity.js';
import { rankCases } from './score/rank.js';
import { allRules } from './score/rules/index.js';
import { scoreEntities } from './score/score.js';
import { readEntityBatch, readProfiles, type EntityBatch } from './features/read.js';
import { scoreSupervised } from './supervised-stage.js';
import { engineVersion } from './version.js';
import { openDb, type Db } from './warehouse/db.js';
import { readModels, runModels, setVariables, type Model } from './warehouse/pipeline.js';
import { ensureWarehouseSchema } from './warehouse/schema.js';
import { acquireLock, openWorkspace, type Workspace } from './warehouse/workspace.js';
import { appendAudit, assertAuditWritable } from './warehouse/audit.js';
import { featureVariables } from './features/variables.js';

export interface RunOptions {
  input: string;
  workspace: string;
  config: Config;
  /** Tax year to screen; default: the latest year with declarations. */
  taxYear?: number;
  log: Logger;
  /** Wait for another run holding the workspace instead of exiting. */
  wait?: boolean;
}

export interface RunResult {
  runId: string;
  runDir: string;
  taxYear: number;
  cases: number;
  entities: number;
  load: LoadSummary;
}

/**
 * The nightly batch: ingest → staging → resolve → features → score → rank → publish.
 * Publishes WS/runs/<run_id>/ atomically and points WS/latest at it; on failure publishes nothing.
 *
 * @example await runBatch({ input: 'data-samples', workspace: 'workspace', config: loadConfig(), log });
 */
export async function runBatch(opts: RunOptions): Promise<RunResult> {
  // Personal data: everything the run creates is readable by its owner only.
  process.umask(0o077);
  const changed = changedSettings(opts.config);
  for (const line of changed.length ? changed : ['defaults only']) opts.log.info(`config: ${line}`);
  const ws = openWorkspace(opts.workspace);
  const lock = await acquireLock(ws, { wait: opts.wait });
  const startedAt = new Date();
  const runId = makeRunId(startedAt, opts.config);
  let db: Db | undefined;
  try {
    assertAuditWritable(ws);
    db = await openWarehouse(ws, opts.config);
    const result = await runStages(db, ws, runId, startedAt, opts);
    return result;
  } catch (err) {
    abandonRunFolder(ws, runId);
    try {
      appendAudit(ws, { action: 'run_failed', runId, detail: (err as Error).message });
    } catch {
      /* report the run's own error, not the audit log's */
    }
    if (db) await db.exec(`insert or replace into runs values ($id, $s, now(), 'failed', null, $h, $v, $m)`, {
      id: runId, s: startedAt.toISOString(), h: configHash(opts.config), v: engineVersion, m: String((err as Error).message).slice(0, 500),
    }).catch(() => undefined);
    throw err;
  } finally {
    db?.close();
    lock.release();
  }
}

async function openWarehouse(ws: Workspace, config: Config): Promise<Db> {
  try {
    return await openDb(ws.warehouse, { memoryLimit: config.memoryLimit, threads: config.threads, tempDirectory: ws.tmpDir });
  } catch (err) {
    throw new WorkspaceError(
      `${ws.warehouse} cannot be opened as a DuckDB warehouse (${(err as Error).message.split('\n')[0]}); ` +
        'move it aside and run again: the next run rebuilds it from the delivery folder',
    );
  }
}

function makeRunId(at: Date, config: Config): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const salt = createHash('sha256').update(`${at.getTime()}:${process.pid}:${configHash(config)}`).digest('hex').slice(0, 6);
  return `${stamp}-${salt}`;
}

async function runStages(db: Db, ws: Workspace, runId: string, startedAt: Date, opts: RunOptions): Promise<RunResult> {
  const { log, config } = opts;
  await ensureWarehouseSchema(db);
  await installNormalizeMacros(db);
  await db.exec(`insert into runs values ($id, $s, null, 'running', null, $h, $v, null)`, {
    id: runId, s: startedAt.toISOString(), h: configHash(config), v: engineVersion,
  });

  const load = await log.stage('ingest', () => loadDelivery(db, opts.input, { runId, log, ingest: config.ingest, tmpDir: ws.tmpDir }));
  const totalRows = Object.values(load.bySource).reduce((n, s) => n + s.read, 0);
  log.info(`ingest: ${load.files.filter((f) => f.status === 'loaded').length} new file(s), ${totalRows.toLocaleString('en')} rows read, ` +
    `${load.files.filter((f) => f.status === 'skipped').length} already loaded, ${load.files.filter((f) => f.status === 'failed').length} failed`);

  // The SQL models are read once; each stage builds its share of them, in dependency order.
  const models = readModels();
  const build = (select: (m: Model) => boolean) => runModels(db, select, log, models);
  const resolveModels = ['int_cod_senders', 'int_identity_records', 'int_entities', 'int_record_identity'];
  await log.stage('staging', () => build((m) => m.layer === 'staging'));
  const taxYear = opts.taxYear ?? (await latestDeclaredYear(db, opts.input));
  const rules = rulesForYear(taxYear, config.taxRules);
  log.info(`tax year ${taxYear}: threshold ${rules.threshold.toLocaleString('en')} VND`);
  await setVariables(db, featureVariables(taxYear));

  const resolved = await log.stage('resolve', async () => {
    await build((m) => m.name === 'int_cod_senders' || m.name === 'int_identity_records');
    const r =
      config.resolve.method === 'exact'
        ? await resolveExact(db, { maxNamesPerValue: 3 })
        : await resolveIdentities(db, { seed: config.seed, log });
    await build((m) => m.name === 'int_entities' || m.name === 'int_record_identity');
    return r;
  });
  log.info(`resolve: ${resolved.records.toLocaleString('en')} identity records → ${resolved.clusters.toLocaleString('en')} entities`);
  const unattributed = await unattributedRows(db);
  if (unattributed.rows > 0) log.info(`resolve: ${unattributed.rows.toLocaleString('en')} COD parcel(s) booked by a warehouse with nothing of the seller's own left unattributed`);

  const batch = await log.stage('features', async () => {
    await build((m) => m.layer === 'marts' || (m.layer === 'intermediate' && !resolveModels.includes(m.name)));
    return readEntityBatch(db);
  });

  const { rows, excluded, model } = await log.stage('score', async () => {
    const scored = scoreEntities(batch.batch, { rules, lang: config.output.language, provinces: batch.provinces });
    const model = config.score.mode === 'baseline' ? baselineScore(batch) : await scoreSupervised(ws, batch, scored, { config, taxYear, log });
    const excludedMask = new Uint8Array(batch.batch.n);
    for (let i = 0; i < batch.batch.n; i++) excludedMask[i] = batch.audited.has(batch.ids[i]!) ? 1 : 0;
    const ranking = rankCases(model.expectedYield, model.probability, batch.ids, excludedMask, {
      capacity: config.rank.capacity,
      controlShare: config.rank.controlShare,
      seed: config.seed,
      provinceQuotas: config.rank.provinceQuotas,
      provinces: batch.provinces,
    });
    const profiles = await readProfiles(db);
    const out: CaseRow[] = [];
    for (let k = 0; k < ranking.order.length; k++) {
      const i = ranking.order[k]!;
      const id = batch.ids[i]!;
      const p = profiles.get(id);
      const f = (name: string) => batch.batch.cols[name]![i]!;
      out.push({
        rank: k + 1,
        entity_id: id,
        risk_score: Math.round(model.probability[i]! * 1e6) / 1e6,
        expected_yield_vnd: model.expectedYield[i]!,
        estimated_revenue_vnd: scored.derived.estimatedRevenue[i]!,
        declared_revenue_vnd: f('declared_revenue'),
        undeclared_revenue_vnd: scored.derived.undeclaredRevenue[i]!,
        tax_gap_vnd: scored.derived.taxGap[i]!,
        name: p?.name ?? null,
        tax_ids: split(p?.tax_ids),
        national_ids: split(p?.national_ids),
        phones: split(p?.phones),
        province: p?.province ?? null,
        sources: split(p?.sources),
        reason_codes: scored.reasonCodes[i]!,
        reasons: scored.reasons[i]!,
        control_slice: ranking.control[k]!,
        tax_year: taxYear,
        activity_group: scored.derived.group[i] ?? null,
        platform_revenue_vnd: f('platform_gmv'),
        cod_revenue_vnd: f('cod_sales'),
        bank_revenue_vnd: f('bank_trade'),
        tax_withheld_vnd: f('tax_withheld'),
        emails: split(p?.emails),
        accounts: split(p?.accounts),
        domains: split(p?.domains),
        shops: split(p?.shops),
        record_count: f('identity_records'),
      });
    }
    return { rows: out, excluded: batch.batch.n - ranking.order.length, model };
  });
  if (excluded) log.info(`score: ${excluded} entities left out (already audited for ${taxYear})`);

  const dir = beginRunFolder(ws, runId);
  const exported = { cases: rows.length, members: 0, rejects: 0 };
  let runJson: Record<string, unknown> = {};
  const finishedAt = await log.stage('publish', async () => {
    const reasons: ReasonInfo[] = allRules.map((r) => ({ code: r.id, label_vi: r.label_vi, label_en: r.label_en }));
    await writeCaseExports(dir, rows, { maskPii: config.output.maskPii, language: config.output.language, reasons, xlsxMaxRows: config.output.xlsxMaxRows });
    exported.members = await writeMembersCsv(db, join(dir, 'members.csv'));
    exported.rejects = await writeRejectsCsv(db, join(dir, 'rejects.csv'), runId);
    const finished = new Date();
    runJson = {
      run_id: runId,
      started_at: startedAt.toISOString(),
      finished_at: finished.toISOString(),
      engine_version: engineVersion,
      config_hash: configHash(config),
      tax_year: taxYear,
      model_id: model.modelId,
      scorer: model.description,
      model_metrics: model.metrics ?? null,
      input: opts.input,
      input_files: load.files.map((f) => ({ file: f.file, source: f.source, sha256: f.sha256, status: f.status, rows_read: f.rowsRead, rows_loaded: f.rowsLoaded, rows_rejected: f.rowsRejected, message: f.message ?? null })),
      rows: load.bySource,
      entities: batch.batch.n,
      cases: rows.length,
      excluded_audited: excluded,
      unattributed,
      timings_ms: { ...log.timings },
    };
    writeJson(join(dir, 'run.json'), runJson);
    const quality = await sourceQuality(db, runId, load);
    await writeReportHtml(join(dir, 'report.html'), {
      run: { run_id: runId, started_at: startedAt.toISOString(), finished_at: finished.toISOString(), tax_year: taxYear, engine_version: engineVersion, config_hash: configHash(config), model_id: model.modelId },
      sources: quality,
      unattributed,
      totals: caseTotals(rows, batch.batch.n),
      cases: rows,
      reasons,
      scorer: model.description,
      model: model.modelId ? (listModels(ws).find((c) => c.model_id === model.modelId) ?? null) : null,
      diff: (() => {
        const prev = previousRunDir(ws, runId);
        return prev ? diffRuns(prev, dir) : null;
      })(),
      stats: await periodStats(db, parsePeriod(String(taxYear)), { taxRules: config.taxRules }),
    }, { maskPii: config.output.maskPii });
    return finished;
  });
  // Timings of publish itself are only known now: rewrite run.json before the folder goes live.
  writeJson(join(dir, 'run.json'), { ...runJson, timings_ms: { ...log.timings } });
  const finalDir = commitRunFolder(ws, runId);
  try {
    appendAudit(ws, {
      action: 'run',
      runId,
      rows: { ...exported, entities: batch.batch.n, rows_read: totalRows },
      detail: `tax year ${taxYear}; exports ${config.output.maskPii ? 'masked' : 'unmasked'}; input ${load.files.length} file(s)`,
    });
  } catch (err) {
    log.warn(`run published, but audit.log could not record it: ${(err as Error).message}`);
  }
  await db.exec(`update runs set finished_at = $f, status = 'published', tax_year = $y where run_id = $id`, {
    f: finishedAt.toISOString(), y: taxYear, id: runId,
  });
  return { runId, runDir: finalDir, taxYear, cases: rows.length, entities: batch.batch.n, load };
}

/** The naive baseline evaluations compare against: rank by observed minus declared revenue, no rules, no model. */
function baselineScore(batch: EntityBatch) {
  const observed = batch.batch.cols.observed_revenue!;
  const declared = batch.batch.cols.declared_revenue!;
  return {
    probability: new Float64Array(batch.batch.n).fill(1),
    expectedYield: Float64Array.from(observed, (o, i) => Math.max(0, o - declared[i]!)),
    modelId: null,
    description: 'baseline: observed minus declared revenue (score.mode = baseline)',
    metrics: undefined,
  };
}

const split = (v: string | null | undefined): string[] => (v ? v.split('|') : []);

/**
 * COD parcels no sender profile holds: booked by a fulfilment warehouse under its own name and
 * phone, with nothing of the seller's own on them (int_cod_senders.sql). Counted, never guessed.
 */
async function unattributedRows(db: Db): Promise<{ rows: number; vnd: number; source: string }> {
  const r = await db.one<{ rows: number; vnd: number }>(
    `select count(*)::bigint as rows, coalesce(sum(cod_amount) filter (where status = 'delivered'), 0)::bigint as vnd
     from int_cod_senders where sender_key is null`,
  );
  return { rows: Number(r?.rows ?? 0), vnd: Number(r?.vnd ?? 0), source: 'cod_shipments' };
}

async function latestDeclaredYear(db: Db, input: string): Promise<number> {
  const y = await db.value<number | null>(`select max(tax_year) from stg_declarations`);
  if (!y) throw new InputError(input, 'no declarations loaded, so the tax year cannot be chosen; pass --tax-year');
  return y;
}

async function sourceQuality(db: Db, runId: string, load: LoadSummary) {
  const top = await db.all<{ source: string; reason: string; n: number }>(
    `select source, reason, count(*)::bigint as n from rejects where run_id = $r group by all order by source, n desc, reason`,
    { r: runId },
  );
  return Object.entries(load.bySource).map(([source, s]) => ({
    source,
    read: s.read,
    loaded: s.loaded,
    rejected: s.rejected,
    top_rejects: top.filter((t) => t.source === source).slice(0, 5).map((t) => ({ reason: t.reason, count: t.n })),
  }));
}
