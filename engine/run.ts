import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { changedSettings, configHash, rulesForYear, type Config } from './config/index.js';
import type { TaxYearRules } from './config/tax-rules.js';
import { InputError, RunFailedError } from './errors.js';
import { formatRejects, loadProblems, topRejects, type FileRejects, type LoadProblem } from './ingest/report.js';
import { loadDelivery, type LoadSummary } from './ingest/load.js';
import { assertRequiredSources } from './ingest/required.js';
import type { Logger } from './log.js';
import { installNormalizeMacros } from './normalize/sql.js';
import type { CaseRow } from './publish/case-row.js';
import { buildReportModel, ruleReasons, sourceQuality } from './publish/report-from-run.js';
import { type Unattributed, type WorkListSummary, workListSummary } from './publish/report-model.js';
import { writeCaseExports } from './publish/exports.js';
import { writeReportHtml } from './publish/report.js';
import { nextRunSeq } from './publish/run-ref.js';
import {
  abandonRunFolder,
  beginRunFolder,
  commitRunFolder,
  runFolderExists,
  writeJson,
  writeMembersCsv,
  writeRejectsCsv,
} from './publish/run-folder.js';
import { resolveExact } from './resolve/exact.js';
import { resolveIdentities } from './resolve/identity.js';
import { rankCases } from './score/rank.js';
import { rateBasisOf, scoreEntities } from './score/score.js';
import { readEntityBatch, readProfiles, type EntityBatch } from './features/read.js';
import { scoreSupervised, type SupervisedScore } from './supervised-stage.js';
import { engineVersion } from './version.js';
import { literal, type Db } from './warehouse/db.js';
import { openWarehouse } from './warehouse/open.js';
import { readModels, runModels, setVariables, type Model } from './warehouse/pipeline.js';
import { ensureWarehouseSchema } from './warehouse/schema.js';
import { acquireLock, openWorkspace, sweepStaleTmp, type Workspace } from './warehouse/workspace.js';
import { onInterrupt } from './interrupt.js';
import { appendAudit, assertAuditWritable } from './warehouse/audit.js';
import { SNAPSHOT_FILE, writeRunSnapshot } from './publish/snapshot.js';
import { featureVariables } from './features/variables.js';
import {
  assertReconciled,
  reconcileRevenue,
  reconciliationSummary,
  type RevenueReconciliation,
} from './features/reconcile.js';
import {
  assertObservedRevenueIn,
  assertTaxYearEnded,
  chooseTaxYear as chooseTaxYearFromReturns,
} from './features/tax-year.js';
import { fmt } from './format.js';
import { writeLake } from './spark/lake.js';
import { runModelsOnSpark, type SparkRunState, startSpark, stopSpark } from './spark/models.js';
import { checkMaster, findSpark } from './spark/submit.js';

export interface RunOptions {
  input: string;
  workspace: string;
  config: Config;
  /** Tax year to screen; default: chosen from the bulk of the returns (`chooseTaxYear`). It must have ended
   * (`assertTaxYearEnded`) and hold observed revenue (`assertObservedRevenueIn`), or the run is refused. */
  taxYear?: number;
  /** Today, for the tax year's "has it ended" check (default the machine's clock); tests pin it. */
  now?: Date;
  log: Logger;
  /** Wait for another run holding the workspace instead of exiting. */
  wait?: boolean;
  /** The command line that started the run, for its audit line (scrubbed there). */
  argv?: string[];
}

export interface RunResult {
  runId: string;
  runDir: string;
  taxYear: number;
  /** Rows written to cases.csv (the full ranking). */
  cases: number;
  /** The work list: cases worth an analyst's time (the first rows of the ranking). */
  workList: WorkListSummary;
  entities: number;
  load: LoadSummary;
  /** Files of an observed source this run lost whole (refused, or every row rejected): the list is published
   * without them, and says so (run.json `load_problems`, the headline, the report, `sangloc status`). */
  loadProblems: LoadProblem[];
}

/**
 * The nightly batch: ingest → staging → resolve → features → reconcile revenue → score → rank → publish.
 * Publishes WS/runs/<run_id>/ atomically and points WS/latest at it; on failure publishes nothing.
 *
 * @example await runBatch({ input: 'data-samples', workspace: 'workspace', config: loadConfig(), log });
 */
export async function runBatch(opts: RunOptions): Promise<RunResult> {
  // A tax year still running is refused before the workspace is touched (exit 2, nothing created).
  if (opts.taxYear !== undefined) assertTaxYearEnded(opts.taxYear, opts.now);
  // Personal data: everything the run creates is readable by its owner only.
  process.umask(0o077);
  const changed = changedSettings(opts.config);
  for (const line of changed.length ? changed : ['defaults only']) opts.log.info(`config: ${line}`);
  // Before the workspace is made: a missing --input is a typo, not a failed run to keep in failed/.
  if (!existsSync(opts.input) || !statSync(opts.input).isDirectory())
    throw new InputError(
      opts.input,
      existsSync(opts.input)
        ? 'not a folder; --input takes the folder holding the delivery files'
        : 'no such folder; check the path given to --input',
    );
  const ws = openWorkspace(opts.workspace);
  const lock = await acquireLock(ws, { wait: opts.wait });
  const startedAt = new Date();
  const runId = makeRunId(startedAt, opts.config);
  let db: Db | undefined;
  const progress: Progress = {};
  // Holding the lock, whatever a killed run left in WS/tmp is stale; a stopped run cleans up itself.
  const swept = sweepStaleTmp(ws);
  if (swept) opts.log.info(`removed ${swept} temporary folder(s) a stopped run left in ${ws.tmpDir}`);
  const interrupt = onInterrupt((signal) => {
    sweepStaleTmp(ws);
    abandonRunFolder(ws, runId);
    // A signal landing between the switch of `latest` and the end of the run finds it published.
    const outcome = runFolderExists(ws, runId)
      ? 'the run was already published'
      : 'nothing published, temporary files removed';
    appendAudit(ws, { action: 'run_failed', runId, detail: `interrupted by ${signal}; ${outcome}` });
    lock.release();
    return outcome;
  });
  try {
    assertAuditWritable(ws);
    db = await openWarehouse(ws, opts.config, { wait: opts.wait, log: opts.log });
    const result = await runStages(db, ws, runId, startedAt, opts, progress);
    return result;
  } catch (err) {
    abandonRunFolder(ws, runId);
    const failedDir = db
      ? await keepFailedRun(db, ws, runId, err as Error, progress, opts).catch(() => undefined)
      : undefined;
    try {
      appendAudit(ws, { action: 'run_failed', runId, detail: (err as Error).message });
    } catch {
      /* report the run's own error, not the audit log's */
    }
    if (db)
      await db
        .exec(`insert or replace into runs values ($id, $s, now(), 'failed', null, $h, $v, $m)`, {
          id: runId,
          s: startedAt.toISOString(),
          h: configHash(opts.config),
          v: engineVersion,
          m: String((err as Error).message).slice(0, 500),
        })
        .catch(() => undefined);
    throw failedDir ? new RunFailedError(err as Error, failedDir) : err;
  } finally {
    interrupt.dispose();
    db?.close();
    lock.release();
  }
}

/** What a run got to before it stopped: what WS/failed/<run_id>/ keeps when it fails. */
interface Progress {
  load?: LoadSummary;
  stage?: string;
}

/**
 * Keeps a failed run's rejects (rejects.csv) and diagnostics (diagnostics.json: the error, the
 * stage, each input file's counts and top reject reasons, no values) in WS/failed/<run_id>/, and
 * prints the top reject reasons per file. Returns the folder as the user typed the workspace path.
 */
async function keepFailedRun(
  db: Db,
  ws: Workspace,
  runId: string,
  err: Error,
  progress: Progress,
  opts: RunOptions,
): Promise<string> {
  const dir = ws.failedDir(runId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const rejects = await writeRejectsCsv(db, join(dir, 'rejects.csv'), runId);
  const files = progress.load ? await topRejects(db, runId, progress.load.files) : [];
  writeJson(join(dir, 'diagnostics.json'), {
    run_id: runId,
    failed_at: new Date().toISOString(),
    stage: progress.stage ?? null,
    error: String(err.message).split('\n')[0],
    input: opts.input,
    rejects,
    input_files: files,
    rows: progress.load?.bySource ?? null,
  });
  printRejects(files, opts);
  const fromHere = relative(process.cwd(), dir);
  return fromHere && !fromHere.startsWith('..') ? fromHere : dir;
}

/** The run's last progress lines: top reject reasons per file (no values). */
function printRejects(files: FileRejects[], opts: RunOptions): void {
  const lines = formatRejects(files);
  if (lines.length === 0) return;
  opts.log.info('rejected rows by file (reasons, no values; every row in rejects.csv):');
  for (const line of lines) opts.log.info(`  ${line}`);
}

function makeRunId(at: Date, config: Config): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const salt = createHash('sha256')
    .update(`${at.getTime()}:${process.pid}:${configHash(config)}`)
    .digest('hex')
    .slice(0, 6);
  return `${stamp}-${salt}`;
}

/**
 * What the stages share. The fixed part is set before the first stage; each stage then fills in
 * its product for the ones after it (read with `need`, which names a stage run out of order).
 */
interface RunContext {
  readonly db: Db;
  readonly ws: Workspace;
  readonly runId: string;
  readonly startedAt: Date;
  readonly opts: RunOptions;
  readonly log: Logger;
  readonly config: Config;
  /** The SQL models, read once on first use; each stage builds its share of them, in dependency order. */
  models?: Model[];
  load?: LoadSummary;
  /** Files lost whole (refused or every row rejected) of the sources a run may go on without. */
  loadProblems?: LoadProblem[];
  taxYear?: number;
  rules?: TaxYearRules;
  resolved?: { records: number; clusters: number };
  unattributed?: Unattributed;
  /** Every COD parcel and bank credit of the tax year counted in revenue or excluded for a reason. */
  reconciliation?: RevenueReconciliation;
  batch?: EntityBatch;
  scored?: { rows: CaseRow[]; excluded: number; model: SupervisedScore; workList: WorkListSummary };
  published?: {
    dir: string;
    runJson: Record<string, unknown>;
    exported: { cases: number; members: number; rejects: number };
    finishedAt: Date;
  };
  result?: RunResult;
  /** `engine.name: spark`: the lake and the models Spark built so far. */
  spark?: SparkRunState;
  /** The values models read with getvariable() (set with the tax year). */
  variables?: Record<string, string | number>;
}

interface Stage {
  name: string;
  /**
   * Timed stages print their progress (`[name] …`, `[name] done in …`) and land in run.json's
   * `timings_ms`; the untimed ones are the bookkeeping between them.
   */
  timed: boolean;
  run(ctx: RunContext): Promise<void>;
  /** A line for the log once the stage is done: counts only, never personal data. */
  summary?(ctx: RunContext): string | undefined;
}

/** The nightly batch, in order. */
const stages: readonly Stage[] = [
  { name: 'open run', timed: false, run: openRun },
  { name: 'ingest', timed: true, run: ingestStage, summary: ingestSummary },
  { name: 'required sources', timed: false, run: requiredSources },
  { name: 'staging', timed: true, run: stagingStage },
  { name: 'tax year', timed: false, run: chooseTaxYear },
  { name: 'resolve', timed: true, run: resolveStage, summary: resolveSummary },
  { name: 'features', timed: true, run: featuresStage },
  { name: 'reconcile revenue', timed: true, run: reconcileStage, summary: reconcileSummary },
  { name: 'score', timed: true, run: scoreStage, summary: scoreSummary },
  { name: 'publish', timed: true, run: publishStage },
  { name: 'commit run', timed: false, run: commitRun },
];

async function runStages(
  db: Db,
  ws: Workspace,
  runId: string,
  startedAt: Date,
  opts: RunOptions,
  progress: Progress,
): Promise<RunResult> {
  const ctx: RunContext = { db, ws, runId, startedAt, opts, log: opts.log, config: opts.config };
  try {
    for (const stage of stages) {
      progress.stage = stage.name;
      if (stage.timed) await ctx.log.stage(stage.name, () => stage.run(ctx));
      else await stage.run(ctx);
      progress.load = ctx.load;
      const line = stage.summary?.(ctx);
      if (line) ctx.log.info(line);
    }
  } catch (err) {
    await stopSpark(ctx.spark, true);
    throw err;
  }
  return need(ctx.result, 'the run result');
}

/** A stage's product, or an error naming what a stage read before the stage making it ran. */
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`run: ${what} is not ready; the stages ran out of order`);
  return value;
}

/** Builds the SQL models `select` picks, in dependency order. */
const buildModels = (ctx: RunContext, select: (m: Model) => boolean, options: { progress?: boolean } = {}) =>
  ctx.spark
    ? runModelsOnSpark(ctx.db, select, (ctx.models ??= readModels()), ctx.spark, {
        config: ctx.config,
        log: ctx.log,
        variables: ctx.variables ?? {},
        app: `sangloc ${ctx.runId}`,
      })
    : runModels(ctx.db, select, ctx.log, (ctx.models ??= readModels()), options);

/**
 * SANGLOC_PROFILE=1: samples the process's memory every 50 ms until the returned function is
 * called, which stops it and says the highest resident set, V8 heap in use and external (Buffers,
 * DuckDB's vectors handed to node) seen; sizes only, no data.
 */
function memoryProbe(): () => string {
  const top = { rss: 0, heap: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    top.rss = Math.max(top.rss, m.rss);
    top.heap = Math.max(top.heap, m.heapUsed);
    top.external = Math.max(top.external, m.external);
  };
  sample();
  const timer = setInterval(sample, 50);
  return () => {
    clearInterval(timer);
    sample();
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    return `rss up to ${mb(top.rss)}, V8 heap used up to ${mb(top.heap)}, external up to ${mb(top.external)}`;
  };
}

/** The parts of publish, each a step of its progress (`publishStage`). */
const publishParts = 4;

/** The models the resolve stage builds; the features stage builds the other intermediate ones. */
const resolveModels = ['int_cod_senders', 'int_identity_records', 'int_entities', 'int_record_identity'];

async function openRun(ctx: RunContext): Promise<void> {
  if (ctx.config.engine.name === 'spark') {
    // before anything is loaded: Spark installed, the master answering (a few seconds, not Spark's retries)
    findSpark();
    await checkMaster(ctx.config.engine.sparkMaster);
  }
  await ensureWarehouseSchema(ctx.db);
  await installNormalizeMacros(ctx.db);
  await ctx.db.exec(`insert into runs values ($id, $s, null, 'running', null, $h, $v, null)`, {
    id: ctx.runId,
    s: ctx.startedAt.toISOString(),
    h: configHash(ctx.config),
    v: engineVersion,
  });
}

async function ingestStage(ctx: RunContext): Promise<void> {
  if (ctx.config.engine.name === 'spark') {
    const lake = ctx.config.engine.lake ?? join(ctx.ws.root, 'lake');
    const workDir = join(ctx.ws.tmpDir, `spark-${ctx.runId}`);
    mkdirSync(workDir, { recursive: true, mode: 0o700 });
    ctx.spark = { lake, workDir, built: new Map(), jobs: 0, reports: [] };
    // the JVM and the session boot while ingest works; every Spark job of the run then reuses them
    startSpark(ctx.spark, { config: ctx.config, log: ctx.log, app: `sangloc ${ctx.runId}` });
  }
  ctx.load = await loadDelivery(ctx.db, ctx.opts.input, {
    runId: ctx.runId,
    log: ctx.log,
    ingest: ctx.config.ingest,
    tmpDir: ctx.ws.tmpDir,
  });
  if (ctx.spark) {
    const written = await writeLake(ctx.db, ctx.spark.lake, ctx.runId);
    ctx.log.info(
      `lake: ${written.partitions} partition(s) written, ${written.rows.toLocaleString('en')} rows (${ctx.spark.lake})`,
    );
  }
}

/**
 * Stops the run when a file of the registry or the returns was lost or a source scoring cannot do
 * without has no row in the warehouse; otherwise notes the files of observed sources lost whole,
 * which the run publishes without, loudly (docs/ingest.md "Files that cannot be read").
 */
async function requiredSources(ctx: RunContext): Promise<void> {
  const load = need(ctx.load, 'the load summary');
  await assertRequiredSources(ctx.db, ctx.opts.input, ctx.runId, load);
  ctx.loadProblems = loadProblems(await topRejects(ctx.db, ctx.runId, load.files, 1, 3));
  for (const p of ctx.loadProblems)
    ctx.log.warn(`${p.file}: not loaded, ${p.reason}; the case list is published without its rows`);
}

const rowsRead = (load: LoadSummary) => Object.values(load.bySource).reduce((n, s) => n + s.read, 0);

function ingestSummary(ctx: RunContext): string {
  const load = need(ctx.load, 'the load summary');
  const files = (status: string) => load.files.filter((f) => f.status === status).length;
  return (
    `ingest: ${files('loaded')} new file(s), ${fmt().int(rowsRead(load))} rows read, ` +
    `${files('skipped')} already loaded, ${files('failed')} failed` +
    (files('rejected') ? `, ${files('rejected')} with every row rejected` : '')
  );
}

async function stagingStage(ctx: RunContext): Promise<void> {
  await buildModels(ctx, (m) => m.layer === 'staging', { progress: true });
}

async function chooseTaxYear(ctx: RunContext): Promise<void> {
  const chosen =
    ctx.opts.taxYear !== undefined
      ? { year: ctx.opts.taxYear, reason: 'from --tax-year' }
      : await chooseTaxYearFromReturns(ctx.db, ctx.opts.input, ctx.opts.now);
  const taxYear = chosen.year;
  await assertObservedRevenueIn(ctx.db, ctx.opts.input, taxYear, chosen.reason.split(' (')[0]!);
  const rules = rulesForYear(taxYear, ctx.config.taxRules);
  ctx.log.info(`tax year ${taxYear} (${chosen.reason}): threshold ${fmt().int(rules.threshold)} VND`);
  ctx.variables = featureVariables(taxYear);
  await setVariables(ctx.db, ctx.variables);
  ctx.taxYear = taxYear;
  ctx.rules = rules;
}

async function resolveStage(ctx: RunContext): Promise<void> {
  const { db, config, log } = ctx;
  await buildModels(ctx, (m) => m.name === 'int_cod_senders' || m.name === 'int_identity_records');
  ctx.resolved =
    config.resolve.method === 'exact'
      ? await resolveExact(db, { maxNamesPerValue: 3 })
      : await resolveIdentities(db, { seed: config.seed, log });
  // On Spark these two go with the features job (one spark-submit fewer); nothing reads them before.
  if (!ctx.spark) await buildModels(ctx, (m) => m.name === 'int_entities' || m.name === 'int_record_identity');
  // COD parcels here (the resolve line); bank rows added once int_record_identity is built (publish)
  ctx.unattributed = await codUnattributed(db, !ctx.spark);
}

function resolveSummary(ctx: RunContext): string {
  const r = need(ctx.resolved, 'the resolved entities');
  const u = need(ctx.unattributed, 'the unattributed rows');
  return (
    `resolve: ${fmt().int(r.records)} identity records → ${fmt().int(r.clusters)} entities` +
    (u.rows > 0
      ? `; ${fmt().int(u.rows)} COD parcel(s) booked by a warehouse with nothing of the seller's own ` +
        `left unattributed`
      : '')
  );
}

async function featuresStage(ctx: RunContext): Promise<void> {
  const afterResolve = ctx.spark ? ['int_entities', 'int_record_identity'] : [];
  await buildModels(
    ctx,
    (m) =>
      m.layer === 'marts' ||
      (m.layer === 'intermediate' && (!resolveModels.includes(m.name) || afterResolve.includes(m.name))),
    { progress: true },
  );
  // the last Spark job of the run: its memory goes back to scoring and publishing
  await stopSpark(ctx.spark);
  ctx.batch = await readEntityBatch(ctx.db);
}

/**
 * Every COD parcel and bank credit of the tax year counted in some seller's revenue or excluded for a
 * stated reason (run.json `revenue_reconciliation`); money attributed yet counted nowhere, or counted
 * twice, fails the run as a bug before anything is scored or published on it.
 */
async function reconcileStage(ctx: RunContext): Promise<void> {
  ctx.reconciliation = await reconcileRevenue(ctx.db, need(ctx.taxYear, 'the tax year'));
  assertReconciled(ctx.reconciliation);
}

function reconcileSummary(ctx: RunContext): string {
  return reconciliationSummary(need(ctx.reconciliation, 'the revenue reconciliation'));
}

async function scoreStage(ctx: RunContext): Promise<void> {
  const { config, log } = ctx;
  const batch = need(ctx.batch, 'the entity batch');
  const taxYear = need(ctx.taxYear, 'the tax year');
  const scored = scoreEntities(batch.batch, {
    rules: need(ctx.rules, 'the tax rules'),
    lang: config.output.language,
    provinces: batch.provinces,
    activity: config.score.activity,
  });
  // Progress in three steps: the rules, the model (training one when none fits), the ranking.
  log.progress(1, 3);
  const model =
    config.score.mode === 'baseline'
      ? baselineScore(batch)
      : await scoreSupervised(ctx.ws, batch, scored, { config, taxYear, log });
  log.progress(2, 3);
  const excludedMask = new Uint8Array(batch.batch.n);
  for (let i = 0; i < batch.batch.n; i++) excludedMask[i] = batch.audited.has(batch.ids[i]!) ? 1 : 0;
  // An entity with no reason and no tax gap is no case: it never fills the scored part of the work list.
  const eligible = new Uint8Array(batch.batch.n);
  for (let i = 0; i < batch.batch.n; i++)
    eligible[i] = scored.derived.taxGap[i]! > 0 || scored.reasonCodes[i]!.length > 0 ? 1 : 0;
  const ranking = rankCases(model.expectedYield, model.probability, batch.ids, excludedMask, {
    capacity: config.rank.capacity,
    controlShare: config.rank.controlShare,
    seed: config.seed,
    provinceQuotas: config.rank.provinceQuotas,
    provinces: batch.provinces,
    eligible,
  });
  const profiles = await readProfiles(ctx.db);
  const rows: CaseRow[] = [];
  for (let k = 0; k < ranking.order.length; k++) {
    const i = ranking.order[k]!;
    const id = batch.ids[i]!;
    const p = profiles.get(id);
    const f = (name: string) => batch.batch.cols[name]![i]!;
    rows.push({
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
      // an expectation over several groups has no one group: see tax_rate_basis
      activity_group: scored.derived.basis[i]!.mix ? null : (scored.derived.group[i] ?? null),
      tax_rate: Math.round(scored.derived.rate[i]! * 1e6) / 1e6,
      tax_rate_min: scored.derived.rateMin[i]!,
      tax_rate_max: scored.derived.rateMax[i]!,
      tax_rate_basis: rateBasisOf(scored.derived, i, need(ctx.rules, 'the tax rules'), config.output.language),
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
  ctx.scored = {
    rows,
    excluded: batch.batch.n - ranking.order.length,
    model,
    workList: workListSummary(rows, ranking.workList),
  };
}

function scoreSummary(ctx: RunContext): string | undefined {
  const { excluded } = need(ctx.scored, 'the scored cases');
  return excluded ? `score: ${excluded} entities left out (already audited for ${ctx.taxYear})` : undefined;
}

async function publishStage(ctx: RunContext): Promise<void> {
  const { db, ws, runId, startedAt, config, log } = ctx;
  const load = need(ctx.load, 'the load summary');
  const batch = need(ctx.batch, 'the entity batch');
  const taxYear = need(ctx.taxYear, 'the tax year');
  const { rows, excluded, model, workList } = need(ctx.scored, 'the scored cases');
  const dir = beginRunFolder(ws, runId);
  // Each part is a stage line of its own (`[publish: snapshot] …`) and a step of publish's progress.
  let partsDone = 0;
  const part = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const probe = process.env.SANGLOC_PROFILE ? memoryProbe() : undefined;
    try {
      const result = await log.stage(`publish: ${name}`, fn);
      log.progress(++partsDone, publishParts);
      return result;
    } finally {
      if (probe) process.stderr.write(`  publish: ${name}: ${probe()}\n`);
    }
  };
  const exported = await part('members', async () => ({
    cases: rows.length,
    members: await writeMembersCsv(db, join(dir, 'members.csv')),
    rejects: await writeRejectsCsv(db, join(dir, 'rejects.csv'), runId),
  }));
  // What explain, stats and outcomes import read later, so they never need the live warehouse.
  // The snapshot is DuckDB's work on its own threads; the case files are node's (and a DuckDB of
  // their own for the Parquet file): the two run at the same time. 'publish: snapshot' is the time
  // it still took once the case files were written (its start overlaps 'publish: cases').
  const snapshotting = writeRunSnapshot(db, join(dir, SNAPSHOT_FILE));
  snapshotting.catch(() => undefined); // awaited below; a failure of the case files must not leave it unhandled
  try {
    await part('cases', () =>
      writeCaseExports(dir, rows, {
        maskPii: config.output.maskPii,
        language: config.output.language,
        reasons: ruleReasons(),
        xlsxMaxRows: config.output.xlsxMaxRows,
      }),
    );
  } catch (err) {
    await snapshotting.catch(() => undefined); // the warehouse connection is free again before the error goes up
    throw err;
  }
  const snapshot = await part('snapshot', () => snapshotting);
  log.info(`snapshot: ${snapshot.tables} tables, ${fmt().int(snapshot.rows)} rows for the analyst commands`);
  // the bank rows now, and on Spark the COD parcels again: int_record_identity (home_parcels, place_parcels)
  // comes with the features job there, so the resolve line counted them before the parcels given by their place
  const cod = ctx.spark ? await codUnattributed(db, true) : need(ctx.unattributed, 'the unattributed COD rows');
  ctx.unattributed = await withBankRows(db, cod);
  const finished = new Date();
  const runJson = {
    run_id: runId,
    seq: nextRunSeq(ws),
    started_at: startedAt.toISOString(),
    finished_at: finished.toISOString(),
    engine_version: engineVersion,
    config_hash: configHash(config),
    tax_year: taxYear,
    model_id: model.modelId,
    scorer: model.description,
    // How unclassified sellers were priced: a report rebuilt from this folder prices its statistics the same way.
    activity: config.score.activity,
    model_metrics: model.metrics ?? null,
    input: ctx.opts.input,
    input_files: load.files.map((f) => ({
      file: f.file,
      source: f.source,
      sha256: f.sha256,
      status: f.status,
      rows_read: f.rowsRead,
      rows_loaded: f.rowsLoaded,
      rows_rejected: f.rowsRejected,
      // records with every field empty (`,,,,` below a table; a workbook's blank rows): skipped, not rows
      rows_empty_skipped: f.rowsEmpty ?? 0,
      message: f.message ?? null,
    })),
    // files lost whole (refused, or every row rejected): `sangloc status` warns on them
    load_problems: need(ctx.loadProblems, 'the load problems'),
    rows: load.bySource,
    entities: batch.batch.n,
    cases: workList.cases,
    ranked: rows.length,
    work_list: workList,
    excluded_audited: excluded,
    // Which entities (engine ids, no personal data): `sangloc diff` says a case dropped as audited.
    excluded_audited_entities: batch.ids.filter((id) => batch.audited.has(id)).sort(),
    unattributed: need(ctx.unattributed, 'the unattributed rows'),
    revenue_reconciliation: need(ctx.reconciliation, 'the revenue reconciliation'),
    timings_ms: { ...log.timings },
    cpu_ms: { ...log.cpuTimings },
    peak_rss_mb: { ...log.peakRssMb },
  };
  writeJson(join(dir, 'run.json'), runJson);
  await part('report', async () => {
    const report = await buildReportModel(
      dir,
      {
        run: {
          run_id: runId,
          started_at: startedAt.toISOString(),
          finished_at: finished.toISOString(),
          tax_year: taxYear,
          engine_version: engineVersion,
          config_hash: configHash(config),
          model_id: model.modelId,
        },
        sources: await sourceQuality(
          db,
          `(select source, reason from rejects where run_id = ${literal(runId)})`,
          load.bySource,
        ),
        cases: rows,
        workList: workList.cases,
        entities: batch.batch.n,
        scorer: model.description,
        unattributed: need(ctx.unattributed, 'the unattributed rows'),
        reconciliation: need(ctx.reconciliation, 'the revenue reconciliation'),
        loadProblems: need(ctx.loadProblems, 'the load problems'),
      },
      { ws, db, taxRules: config.taxRules, activity: config.score.activity },
    );
    await writeReportHtml(join(dir, 'report.html'), report, {
      maskPii: config.output.maskPii,
      lang: config.output.language,
    });
  });

  ctx.published = { dir, runJson, exported, finishedAt: finished };
}

/** Makes the run folder live, records the run in audit.log and marks it published in the warehouse. */
async function commitRun(ctx: RunContext): Promise<void> {
  const { db, ws, runId, config, log } = ctx;
  const load = need(ctx.load, 'the load summary');
  const batch = need(ctx.batch, 'the entity batch');
  const taxYear = need(ctx.taxYear, 'the tax year');
  const { dir, runJson, exported, finishedAt } = need(ctx.published, 'the published run');
  // Timings of publish itself are only known now: rewrite run.json before the folder goes live.
  writeJson(join(dir, 'run.json'), {
    ...runJson,
    timings_ms: { ...log.timings },
    cpu_ms: { ...log.cpuTimings },
    peak_rss_mb: { ...log.peakRssMb },
  });
  const finalDir = commitRunFolder(ws, runId);
  try {
    appendAudit(ws, {
      action: 'run',
      runId,
      ...(ctx.opts.argv ? { args: ctx.opts.argv } : {}),
      rows: { ...exported, entities: batch.batch.n, rows_read: rowsRead(load) },
      detail:
        `tax year ${taxYear}; exports ${config.output.maskPii ? 'masked' : 'unmasked'}; ` +
        `input ${load.files.length} file(s)`,
    });
  } catch (err) {
    log.warn(`run published, but audit.log could not record it: ${(err as Error).message}`);
  }
  await db.exec(`update runs set finished_at = $f, status = 'published', tax_year = $y where run_id = $id`, {
    f: finishedAt.toISOString(),
    y: taxYear,
    id: runId,
  });
  const { workList } = need(ctx.scored, 'the scored cases');
  ctx.result = {
    runId,
    runDir: finalDir,
    taxYear,
    cases: exported.cases,
    workList,
    entities: batch.batch.n,
    load,
    loadProblems: need(ctx.loadProblems, 'the load problems'),
  };
  printRejects(await topRejects(db, runId, load.files), ctx.opts);
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

type UnattributedPart = { source: string; rows: number; vnd: number };

/**
 * COD parcels no sender profile holds: booked by a fulfilment warehouse under its own name and
 * phone, with nothing of the seller's own on them (int_cod_senders.sql) — with `recordIdentity`
 * (int_record_identity built), less those given to the one seller living at their pickup place
 * (home_parcels) or named by the warehouse's own waybills from there (place_parcels). Counted,
 * never guessed; computed once after resolve (on Spark again at publish), the bank part is added at
 * publish (`withBankRows`).
 */
async function codUnattributed(db: Db, recordIdentity: boolean): Promise<Unattributed> {
  const given = recordIdentity
    ? `anti join (select record_key from int_record_identity where source = 'cod_shipments') r using (record_key)`
    : '';
  const cod = await db.one<{ rows: number; vnd: number }>(
    `select count(*)::bigint as rows, coalesce(sum(cod_amount) filter (where status = 'delivered'), 0)::bigint as vnd
     from int_cod_senders ${given} where sender_key is null`,
  );
  return unattributedOf([{ source: 'cod_shipments', rows: Number(cod?.rows ?? 0), vnd: Number(cod?.vnd ?? 0) }]);
}

/**
 * `cod` (from `codUnattributed`) plus the bank rows no record holds (int_record_identity.sql,
 * served_accounts): buyer transfers into an account serving another seller, and remittances that
 * could be either's. VND = credited amounts. Needs int_record_identity (on Spark: the features job).
 */
async function withBankRows(db: Db, cod: Unattributed): Promise<Unattributed> {
  const bank = await db.one<{ rows: number; vnd: number }>(
    `select count(*)::bigint as rows, coalesce(sum(t.amount) filter (where t.direction = 'credit'), 0)::bigint as vnd
     from stg_bank_transactions t
     anti join (select record_key from int_record_identity where source = 'bank_transactions') r using (record_key)
     where t.account is not null`,
  );
  const codParts = (cod.by_source ?? []).filter((p) => p.source !== 'bank_transactions');
  return unattributedOf([
    ...codParts,
    { source: 'bank_transactions', rows: Number(bank?.rows ?? 0), vnd: Number(bank?.vnd ?? 0) },
  ]);
}

function unattributedOf(parts: UnattributedPart[]): Unattributed {
  const withRows = parts.filter((p) => p.rows > 0).map((p) => p.source);
  return {
    rows: parts.reduce((n, p) => n + p.rows, 0),
    vnd: parts.reduce((n, p) => n + p.vnd, 0),
    source: withRows.length > 0 ? withRows.join(', ') : 'cod_shipments',
    by_source: parts,
  };
}
