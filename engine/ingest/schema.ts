/**
 * The warehouse tables a load writes (`ingest_files`, `rejects`, `raw_<source>`), and the versions of
 * the warehouse schema: `schema_version` and the `migrations` applied when an older warehouse is
 * opened. The run ledger (`runs`) is warehouse/schema.ts's.
 */
import type { Db } from '../warehouse/db.js';
import { ident } from '../warehouse/db.js';
import { ensureWarehouseSchema } from '../warehouse/schema.js';
import { WorkspaceError } from '../errors.js';
import { sourceNames, sources, type SourceName } from './sources.js';

/** Name of the raw table holding the loaded rows of a source. */
export const rawTable = (s: SourceName) => `raw_${s}`;

/** One step of the warehouse schema: applied once, in order, to every warehouse older than it. */
export interface Migration {
  version: number;
  description: string;
  up(db: Db): Promise<void>;
}

/**
 * The schema's history after version 1 (the release without a `schema_version` table: the ledger
 * and raw tables of `createBaseSchema`). A fresh warehouse is version 1 plus every migration, so
 * an old warehouse and a new one end up with the same tables. Append; never edit a released step.
 */
export const migrations: readonly Migration[] = [
  {
    version: 2,
    description: 'ingest_files.pruned_at: when `sangloc prune` removed the rows of an expired delivery file',
    up: (db) => db.exec(`alter table ingest_files add column if not exists pruned_at timestamptz`),
  },
  {
    version: 3,
    description: 'ingest_files.sheet: which sheet of an Excel workbook was loaded (its row numbers are the lines)',
    up: (db) => db.exec(`alter table ingest_files add column if not exists sheet varchar`),
  },
  {
    version: 4,
    description:
      'outcome_subjects: the identity records an imported outcome (entity_id or record key) reached in the run ' +
      'it was resolved through',
    up: (db) =>
      db.exec(
        `create table if not exists outcome_subjects (
           subject_type varchar, subject_id varchar, run_id varchar, entity_id varchar, source varchar,
           source_key varchar, file_id integer)`,
      ),
  },
];

/** Schema version this engine writes and reads. */
export const SCHEMA_VERSION = migrations.reduce((v, m) => Math.max(v, m.version), 1);

/**
 * Creates the ledger tables and one raw table per source if missing, and brings an older warehouse
 * up to `SCHEMA_VERSION` (each migration in its own transaction, recorded in `schema_version`).
 * Raw tables keep every contract column as text exactly as delivered, plus lineage (file, line,
 * load sequence); a contract column added since the warehouse was built is added to its raw table.
 * A warehouse written by a newer engine is refused rather than half-understood.
 *
 * @example await ensureIngestSchema(db); await warehouseSchemaVersion(db) // 3
 */
export async function ensureIngestSchema(db: Db): Promise<void> {
  const found = await warehouseSchemaVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new WorkspaceError(
      `${db.path}: the warehouse has schema version ${found}, newer than this engine's ${SCHEMA_VERSION}; ` +
        'run it with the sangloc release that wrote it (or newer), or restore a backup made by this release',
    );
  }
  await createBaseSchema(db);
  await db.exec(
    `create table if not exists schema_version (
       version integer not null, applied_at timestamptz not null, description varchar)`,
  );
  if (found === 0) await db.exec(`insert into schema_version values (1, now(), 'base schema')`);
  for (const m of migrations) {
    if (m.version <= Math.max(found, 1)) continue;
    await db.exec('begin transaction');
    try {
      await m.up(db);
      await db.exec(`insert into schema_version values ($v, now(), $d)`, { v: m.version, d: m.description });
      await db.exec('commit');
    } catch (err) {
      await db.exec('rollback').catch(() => undefined);
      throw new WorkspaceError(
        `${db.path}: migration to schema version ${m.version} failed (${(err as Error).message.split('\n')[0]}); ` +
          `the warehouse is unchanged at version ${Math.max(found, 1)}`,
      );
    }
  }
}

/**
 * Schema version of a warehouse: 0 when empty (never opened by sangloc), 1 for a warehouse of the
 * release before versioning (ledger tables but no `schema_version`), else the highest recorded.
 */
export async function warehouseSchemaVersion(db: Db): Promise<number> {
  if (await db.tableExists('schema_version')) {
    return (await db.value<number>(`select coalesce(max(version), 1)::int from schema_version`)) ?? 1;
  }
  return (await db.tableExists('ingest_files')) ? 1 : 0;
}

/** Version 1 (frozen: later changes are migrations), plus contract columns added to sources since. */
async function createBaseSchema(db: Db): Promise<void> {
  await db.exec(`
    create table if not exists ingest_files (
      file_id integer primary key, load_seq integer, run_id varchar, source varchar, path varchar, name varchar,
      sha256 varchar, bytes bigint, rows_read bigint, rows_loaded bigint, rows_rejected bigint,
      status varchar, message varchar, extra_columns varchar, loaded_at timestamptz);
    create table if not exists rejects (
      run_id varchar, file_id integer, source varchar, file varchar, line bigint, "column" varchar, value varchar,
      reason varchar);
  `);
  await ensureWarehouseSchema(db);
  const columns = await db.all<{ t: string; c: string }>(
    `select table_name as t, column_name as c from information_schema.columns
     where table_name like 'raw\\_%' escape '\\'`,
  );
  const existing = new Set(columns.map((r) => `${r.t}.${r.c}`));
  for (const s of sourceNames) {
    const cols = sources[s].columns.map((c) => `${ident(c.name)} varchar`).join(', ');
    const lineage = '_file_id integer, _line bigint, _load_seq integer';
    await db.exec(`create table if not exists ${ident(rawTable(s))} (${cols}, ${lineage})`);
    // A column the contract gained since the table was made goes at the end: the loader inserts by name.
    for (const c of sources[s].columns) {
      if (existing.size && !existing.has(`${rawTable(s)}.${c.name}`) && existing.has(`${rawTable(s)}._file_id`)) {
        await db.exec(`alter table ${ident(rawTable(s))} add column ${ident(c.name)} varchar`);
      }
    }
  }
}
