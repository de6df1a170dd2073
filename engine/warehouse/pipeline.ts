import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Db } from './db.js';
import { ident } from './db.js';
import { pipelinesDir } from '../paths.js';
import type { Logger } from '../log.js';
import { fmt } from '../format.js';
import { peakRssBytes } from '../log.js';

/** One SQL model: a file in pipelines/<layer>/, materialised as a table of the same name. */
export interface Model {
  name: string;
  layer: 'staging' | 'intermediate' | 'marts';
  file: string;
  sql: string;
  /** Other models this one reads. */
  deps: string[];
  /** First line comment: the grain. */
  grain: string;
}

const layers = ['staging', 'intermediate', 'marts'] as const;

/**
 * The run's work tables: models over every delivered bank line and COD parcel that only later
 * models of the same run read (no command after the run, no snapshot reader but the dossier's
 * classified rows, which the snapshot copies). Built as temporary tables of the run's connection:
 * every run rebuilds them, and writing them into the warehouse file was a third of their build
 * (DuckDB compresses and checkpoints a persistent table; issue 18, temp34: 50,000 persons, staging
 * 14.6–16.5 → 8.5–12.0 s of wall, the whole batch 83–97 → 77–82 s, bench/README.md). Everything else
 * a run builds stays in the warehouse, where `train`, `outcomes import` and `prune` read it.
 */
export const workModels: ReadonlySet<string> = new Set([
  'stg_bank_transactions',
  'stg_cod_shipments',
  'int_cod_senders',
  'int_identity_records',
  'int_bank_credits_classified',
  'int_parcels_classified',
]);

/** Reads every model under pipelines/ and its dependencies on the others. */
export function readModels(dir = pipelinesDir): Model[] {
  const models: Model[] = [];
  for (const layer of layers) {
    for (const f of readdirSync(join(dir, layer))
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      const file = join(dir, layer, f);
      const sql = readFileSync(file, 'utf8');
      models.push({
        name: basename(f, '.sql'),
        layer,
        file,
        sql,
        deps: [],
        grain: sql.split('\n')[0]!.replace(/^--\s*/, ''),
      });
    }
  }
  const names = new Set(models.map((m) => m.name));
  for (const m of models) {
    const refs = new Set([...stripComments(m.sql).matchAll(/\b((?:stg|int|mart)_[a-z0-9_]+)\b/g)].map((x) => x[1]!));
    m.deps = [...refs].filter((r) => r !== m.name && names.has(r)).sort();
  }
  return models;
}

const stripComments = (sql: string) => sql.replace(/--[^\n]*/g, '');

/** Orders models so every model comes after the ones it reads (stable by layer, then name). */
export function orderModels(models: Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Model[] = [];
  const visit = (m: Model) => {
    if (done.has(m.name)) return;
    if (visiting.has(m.name)) throw new Error(`pipelines: dependency cycle through ${m.name}`);
    visiting.add(m.name);
    for (const d of m.deps) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    visiting.delete(m.name);
    done.add(m.name);
    out.push(m);
  };
  models.forEach(visit);
  return out;
}

/**
 * `create table … as` a model's rows: a temporary table for the run's work tables (`workModels`),
 * a warehouse table otherwise. SANGLOC_KEEP_WORK_TABLES=1 keeps the work tables in the warehouse
 * too, to read them after the run (debugging; the two engines' models compared table by table).
 *
 * @example await materialise(db, 'int_cod_senders', 'select …') // temp.int_cod_senders
 */
export async function materialise(db: Db, name: string, select: string): Promise<void> {
  if (workModels.has(name) && process.env.SANGLOC_KEEP_WORK_TABLES !== '1') {
    // (a warehouse written before temp34 holds it as a table: gone, so the name means this run's)
    await db.exec(`drop table if exists main.${ident(name)}`);
    await db.exec(`create or replace temp table ${ident(name)} as ${select}`);
  } else await db.exec(`create or replace table ${ident(name)} as ${select}`);
}

/**
 * Materialises the chosen models (and nothing else) in dependency order. Values they need are
 * DuckDB variables set beforehand (`set variable tax_year = …`), never spliced into SQL text.
 * With `progress`, each model built is the enclosing stage's progress (models done of chosen).
 *
 * @example await runModels(db, (m) => m.layer === 'staging', log, readModels(), { progress: true });
 */
export async function runModels(
  db: Db,
  select: (m: Model) => boolean,
  log?: Logger,
  models = readModels(),
  options: { progress?: boolean } = {},
): Promise<string[]> {
  const chosen = orderModels(models.filter(select));
  // Progress counts rows: a model weighs the rows of the tables it reads (those there when the call
  // starts; at least one row), so one big source is most of the bar, as it is most of the wait.
  const weights = options.progress ? await inputRows(db, chosen) : chosen.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  let done = 0;
  for (const [i, m] of chosen.entries()) {
    const started = performance.now();
    try {
      await materialise(db, m.name, m.sql);
    } catch (err) {
      throw new Error(`pipelines/${m.layer}/${m.name}.sql: ${(err as Error).message.split('\n')[0]}`);
    }
    // SANGLOC_PROFILE=1: each model's name, milliseconds and memory on stderr (as the linker's steps; no data)
    if (process.env.SANGLOC_PROFILE)
      process.stderr.write(
        `  model ${m.name}: ${Math.round(performance.now() - started)} ms, ${await memoryNow(db)}\n`,
      );
    if (log && performance.now() - started > 2000)
      log.info(`  ${m.name} built in ${fmt().ms(performance.now() - started)}`);
    done += weights[i]!;
    if (options.progress) log?.progress(done, total);
  }
  return chosen.map((m) => m.name);
}

/**
 * The process's resident set now and its peak so far, and what DuckDB's buffer manager holds (its
 * `duckdb_memory()`, the part `memory_limit` bounds): sizes only, for SANGLOC_PROFILE.
 */
async function memoryNow(db: Db): Promise<string> {
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  const duck = Number(await db.value(`select sum(memory_usage_bytes)::bigint from duckdb_memory()`));
  return `rss ${mb(process.memoryUsage().rss)} (peak ${mb(peakRssBytes())}), duckdb ${mb(duck)}`;
}

/** Per model, the rows of the warehouse tables its SQL names (DuckDB's estimate; at least 1). */
async function inputRows(db: Db, chosen: readonly Model[]): Promise<number[]> {
  const rows = new Map(
    (
      await db.all<{ name: string; n: number }>(`select table_name as name, estimated_size as n from duckdb_tables()`)
    ).map((t) => [t.name, Number(t.n)]),
  );
  return chosen.map((m) => {
    const names = new Set(stripComments(m.sql).match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g) ?? []);
    return Math.max(
      1,
      [...names].reduce((n, t) => n + (rows.get(t) ?? 0), 0),
    );
  });
}

/** Sets DuckDB session variables (bound values) read by models with getvariable(). */
export async function setVariables(db: Db, vars: Record<string, string | number | boolean>): Promise<void> {
  for (const [k, v] of Object.entries(vars)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(k)) throw new Error(`bad variable name ${k}`);
    await db.exec(`set variable ${k} = $v`, { v });
  }
}
