/**
 * The warehouse schema is versioned: a warehouse written by the previous release (no
 * `schema_version` table, no `ingest_files.pruned_at`, raw tables of an older contract) is brought
 * up to date when the engine opens it, keeps every row, and loads new files afterwards; a
 * warehouse from a newer engine is refused.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { openDb, type Db } from '../../engine/warehouse/db.js';
import { ensureIngestSchema, migrations, SCHEMA_VERSION, warehouseSchemaVersion } from '../../engine/ingest/schema.js';
import { tempDir, withDb } from '../helpers.js';

const samples = join(packageRoot, 'data-samples');
const root = tempDir('sangloc-migrate-');

/** The DDL of the release before versioning (engine/warehouse/schema.ts on main before issue 17), ledger part. */
const RELEASE_1_LEDGER = `
  create table if not exists ingest_files (
    file_id integer primary key, load_seq integer, run_id varchar, source varchar, path varchar, name varchar,
    sha256 varchar, bytes bigint, rows_read bigint, rows_loaded bigint, rows_rejected bigint,
    status varchar, message varchar, extra_columns varchar, loaded_at timestamptz);
  create table if not exists rejects (
    run_id varchar, file_id integer, source varchar, file varchar, line bigint, "column" varchar, value varchar, reason varchar);
  create table if not exists runs (
    run_id varchar primary key, started_at timestamptz, finished_at timestamptz, status varchar,
    tax_year integer, config_hash varchar, engine_version varchar, message varchar);`;

const columns = (db: Db) =>
  db.all<{ t: string; c: string; ty: string }>(
    `select table_name as t, column_name as c, data_type as ty from information_schema.columns where table_schema = 'main'
       and (table_name in ('ingest_files', 'rejects', 'runs', 'schema_version') or table_name like 'raw\\_%' escape '\\') order by 1, 2`,
  );

function delivery(name: string, files: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(join(samples, f), join(dir, f));
  return dir;
}

describe('warehouse schema versions', () => {
  it('a fresh warehouse is at the current version, recorded step by step', async () => {
    await withDb(async (db) => {
      expect(await warehouseSchemaVersion(db)).toBe(0);
      await ensureIngestSchema(db);
      expect(await warehouseSchemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(
        (await db.all<{ version: number }>('select version from schema_version order by version')).map(
          (r) => r.version,
        ),
      ).toEqual([1, ...migrations.map((m) => m.version)]);
      await ensureIngestSchema(db); // idempotent: no second record
      expect(await db.value<number>('select count(*)::int from schema_version')).toBe(1 + migrations.length);
    });
  });

  it("the previous release's warehouse is migrated on open: same tables as a fresh one, every row kept, new loads work", async () => {
    const file = join(root, 'release1.duckdb');
    // Build it as the previous release left it: its ledger DDL, a loaded delivery, no schema_version,
    // no pruned_at, and raw_taxpayers without a contract column (a contract that has grown since).
    let db = await openDb(file);
    await db.exec(RELEASE_1_LEDGER);
    await loadDelivery(db, delivery('d1', ['taxpayers.csv', 'declarations.csv']), { runId: 'r1', log: silentLogger() });
    await db.exec('drop table schema_version');
    await db.exec('alter table ingest_files drop column pruned_at');
    await db.exec('alter table raw_taxpayers drop column email');
    const before = {
      files: await db.all('select file_id, source, sha256, rows_loaded, status from ingest_files order by file_id'),
      taxpayers: await db.value<number>('select count(*)::int from raw_taxpayers'),
      declarations: await db.value<number>('select count(*)::int from raw_declarations'),
    };
    expect(await warehouseSchemaVersion(db)).toBe(1);
    db.close();

    db = await openDb(file);
    try {
      await ensureIngestSchema(db);
      expect(await warehouseSchemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(
        await db.all('select file_id, source, sha256, rows_loaded, status from ingest_files order by file_id'),
      ).toEqual(before.files);
      expect(await db.value<number>('select count(*)::int from ingest_files where pruned_at is null')).toBe(
        before.files.length,
      );
      expect(await db.value<number>('select count(*)::int from raw_taxpayers')).toBe(before.taxpayers);
      expect(await db.value<number>('select count(*)::int from raw_declarations')).toBe(before.declarations);
      expect(await db.value<number>('select count(*)::int from raw_taxpayers where email is not null')).toBe(0);
      // Same tables and columns as a warehouse created by this release.
      const fresh = await withDb(async (f) => {
        await ensureIngestSchema(f);
        return columns(f);
      });
      expect(await columns(db)).toEqual(fresh);
      // The loader inserts by column name: a new file loads into the migrated tables, email included.
      const d2 = delivery('d2', ['taxpayers.csv']);
      const lines = readFileSync(join(samples, 'taxpayers.csv'), 'utf8').split('\n');
      writeFileSync(join(d2, 'taxpayers_update.csv'), lines.slice(0, 31).join('\n') + '\n');
      const s = await loadDelivery(db, d2, { runId: 'r2', log: silentLogger() });
      expect(s.files.map((f) => [f.file, f.status])).toEqual([
        ['taxpayers.csv', 'skipped'],
        ['taxpayers_update.csv', 'loaded'],
      ]);
      const latest = `from raw_taxpayers where _file_id = (select max(file_id) from ingest_files)`;
      const fresh30 = await db.one<{ n: number; emails: number; good: number }>(
        `select count(*)::int as n, count(email)::int as emails, count(*) filter (where email like '%@%')::int as good ${latest}`,
      );
      expect(fresh30).toMatchObject({ n: 30, emails: 16, good: 16 }); // 16 of these 30 rows have an e-mail
      const ids = (await db.all<{ tax_id: string }>(`select tax_id ${latest} order by _line`)).map((r) => r.tax_id);
      expect(ids).toEqual(lines.slice(1, 31).map((l) => l.split(',')[0]));
    } finally {
      db.close();
    }
  });

  it('a warehouse written by a newer engine is refused, naming both versions', async () => {
    await withDb(async (db) => {
      await ensureIngestSchema(db);
      await db.exec(`insert into schema_version values (${SCHEMA_VERSION + 7}, now(), 'from the future')`);
      await expect(ensureIngestSchema(db)).rejects.toThrow(
        new RegExp(
          `schema version ${SCHEMA_VERSION + 7}, newer than this engine's ${SCHEMA_VERSION}; run it with the sangloc release that wrote it`,
        ),
      );
    });
  });
});
