/**
 * The SQL models on Spark: the same model files the DuckDB engine runs (pipelines/), handed to the
 * driver as DuckDB SQL and rendered there for Spark (engine/spark/dialect.py). Inputs are the lake's
 * raw partitions, the models built by earlier Spark jobs of the run and the engine's tables they
 * read (resolve_clusters); each output comes back as Parquet and is read into the warehouse as the
 * table of the same name, so resolve, scoring and publishing read exactly what Spark computed.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { rawTable } from '../ingest/schema.js';
import { sourceNames } from '../ingest/sources.js';
import type { Logger } from '../log.js';
import { normalizeMacrosSql } from '../normalize/sql.js';
import { ident, literal, type Db } from '../warehouse/db.js';
import { materialise, orderModels, runModels, type Model } from '../warehouse/pipeline.js';
import { lakeFiles, lakePartitionColumns, sourceDir } from './lake.js';
import { checkMaster, SparkDriver, type SparkInput, type SparkRunReport } from './submit.js';

/** What the Spark jobs of one run share. */
export interface SparkRunState {
  lake: string;
  /** Scratch folder of the run (job files, outputs): under WS/tmp, removed with it. */
  workDir: string;
  /** Models built so far: name → Parquet folder. */
  built: Map<string, string>;
  jobs: number;
  reports: SparkRunReport[];
  /** The run's one Spark driver (started by startSpark, stopped by stopSpark). */
  driver?: SparkDriver;
}

/**
 * Starts the run's Spark driver (JVM, session, UDFs, SQL functions) without waiting for it: it
 * boots while ingest works, and every later job of the run reuses it.
 */
export function startSpark(state: SparkRunState, opts: { config: Config; log: Logger; app: string }): SparkDriver {
  state.driver ??= new SparkDriver(
    { app: opts.app, master: opts.config.engine.sparkMaster, conf: sparkConf(opts.config), macros: normalizeMacrosSql },
    { workDir: state.workDir, log: opts.log, driverMemory: opts.config.engine.driverMemory },
  );
  return state.driver;
}

/** Stops the run's Spark driver: gracefully after the last job, at once (`failed`) when the run failed. */
export async function stopSpark(state: SparkRunState | undefined, failed = false): Promise<void> {
  const driver = state?.driver;
  if (!driver) return;
  state.driver = undefined;
  await (failed ? driver.kill() : driver.close());
}

/** Engine tables (not models) a model may read, exported for Spark when a chosen model names them. */
const engineTables = ['resolve_clusters'];

/**
 * Models that stay on DuckDB under `engine.name: spark`, with why: none today. int_identity_records
 * (838 lines) stayed here until its shared CTEs were written once (docs/spark.md "Shared CTEs"):
 * inlined at every use, Spark's analyser ran out of a 4 GB driver heap planning it. A model listed
 * here is built by the engine from Spark's outputs and handed to the next Spark job as Parquet.
 */
export const engineOnlyModels: Readonly<Record<string, string>> = {};

/** The Spark settings of a job: the engine's config plus what keeps the answer the same as DuckDB's. */
export function sparkConf(config: Config): Record<string, string> {
  return {
    'spark.sql.shuffle.partitions': String(config.engine.shufflePartitions),
    // the warehouse's time zone (warehouse/db.ts): timestamps and year()/month() agree
    'spark.sql.session.timeZone': 'Asia/Ho_Chi_Minh',
    'spark.sql.parquet.outputTimestampType': 'TIMESTAMP_MICROS',
    'spark.ui.enabled': 'false',
    'spark.ui.showConsoleProgress': 'false',
    // Adaptive execution writes the whole plan out as text on every re-plan (for the UI's events, even
    // with the UI off); int_cod_senders' CTEs, inlined at every use, made that text exhaust the 1 GB
    // driver heap (java.lang.OutOfMemoryError in QueryExecution.explainString). Plans are only ever
    // read as text in logs: a million characters is plenty.
    'spark.sql.maxPlanStringLength': '1000000',
    ...config.engine.sparkConf,
  };
}

/**
 * Builds the chosen models on Spark (in dependency order, one spark-submit), then reads each into
 * the warehouse. Throws SparkJobError naming the model and Spark's reason; nothing is published
 * by a run whose job failed (the run fails before publish).
 */
export async function runModelsOnSpark(
  db: Db,
  select: (m: Model) => boolean,
  models: Model[],
  state: SparkRunState,
  opts: { config: Config; log: Logger; variables: Record<string, string | number | boolean>; app: string },
): Promise<string[]> {
  const all = orderModels(models.filter(select));
  if (all.length === 0) return [];
  const onEngine = all.filter((m) => m.name in engineOnlyModels);
  const chosen = all.filter((m) => !(m.name in engineOnlyModels));
  if (chosen.length === 0) {
    await runModels(db, (m) => onEngine.includes(m), opts.log, models);
    return onEngine.map((m) => m.name);
  }
  const master = opts.config.engine.sparkMaster;
  await checkMaster(master);
  const job = `job-${++state.jobs}`;
  const jobDir = join(state.workDir, job);
  rmSync(jobDir, { recursive: true, force: true });
  mkdirSync(jobDir, { recursive: true });
  const inputs: Record<string, SparkInput> = {};
  const text = chosen.map((m) => m.sql).join('\n');
  for (const s of sourceNames) {
    const table = rawTable(s);
    if (!new RegExp(`\\b${table}\\b`).test(text)) continue;
    const paths = lakeFiles(state.lake, s);
    if (paths.length) {
      inputs[table] = { paths, base: sourceDir(state.lake, s), drop: [...lakePartitionColumns] };
    } else {
      // no row of the source in the lake: an empty file with the raw table's columns
      const empty = join(jobDir, `${table}-empty.parquet`);
      await db.exec(`copy (select * from ${ident(table)} limit 0) to ${literal(empty)} (format parquet)`);
      inputs[table] = { paths: [empty] };
    }
  }
  // engine tables the models read (resolve_clusters, outcome_subjects …): every `from`/`join` name that
  // is a warehouse table and neither a lake source, a model of this job nor one Spark built
  const named = [...text.matchAll(/\b(?:from|join)\s+([a-z_][a-z0-9_]*)/gi)].map((x) => x[1]!.toLowerCase());
  const chosenNames = new Set(chosen.map((m) => m.name));
  const engineRead = new Set([...engineTables, ...Object.keys(engineOnlyModels)]);
  for (const n of named)
    if (!(n in inputs) && !chosenNames.has(n) && !state.built.has(n) && (await db.tableExists(n))) engineRead.add(n);
  for (const t of engineRead) {
    if (state.built.has(t) || t in inputs) continue;
    if (!new RegExp(`\\b${t}\\b`).test(text)) continue;
    const file = join(jobDir, `${t}.parquet`);
    await db.exec(`copy (select * from ${ident(t)}) to ${literal(file)} (format parquet)`);
    inputs[t] = { paths: [file] };
  }
  for (const [name, dir] of state.built) inputs[name] = { paths: [dir] };
  const out = join(state.workDir, 'models');
  const driver = startSpark(state, opts);
  const report = await driver.run({
    variables: opts.variables,
    inputs,
    models: chosen.map((m) => ({ name: m.name, sql: m.sql })),
    out,
  });
  state.reports.push(report);
  for (const m of chosen) {
    const dir = join(out, m.name);
    state.built.set(m.name, dir);
    await materialise(db, m.name, `select * from read_parquet(${literal(join(dir, '*.parquet'))})`);
  }
  if (onEngine.length) await runModels(db, (m) => onEngine.includes(m), opts.log, models);
  return all.map((m) => m.name);
}
