import type { Db } from './db.js';

/**
 * Creates the run ledger (`runs`: one row per batch run, its status and config hash) if missing.
 * The tables a load writes (`ingest_files`, `rejects`, `raw_<source>`) are ingest's: ingest/schema.ts.
 */
export async function ensureWarehouseSchema(db: Db): Promise<void> {
  await db.exec(`
    create table if not exists runs (
      run_id varchar primary key, started_at timestamptz, finished_at timestamptz, status varchar,
      tax_year integer, config_hash varchar, engine_version varchar, message varchar);
  `);
}
