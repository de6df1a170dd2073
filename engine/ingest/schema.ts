import type { Db } from '../warehouse/db.js';
import { ident } from '../warehouse/db.js';
import { sourceNames, sources, type SourceName } from './sources.js';

/** Name of the raw table holding the loaded rows of a source. */
export const rawTable = (s: SourceName) => `raw_${s}`;

/**
 * Creates the load ledger (`ingest_files`), `rejects` and one raw table per source if missing. Raw
 * tables keep every contract column as text exactly as delivered, plus lineage (file, line, load sequence).
 */
export async function ensureIngestSchema(db: Db): Promise<void> {
  await db.exec(`
    create table if not exists ingest_files (
      file_id integer primary key, load_seq integer, run_id varchar, source varchar, path varchar, name varchar,
      sha256 varchar, bytes bigint, rows_read bigint, rows_loaded bigint, rows_rejected bigint,
      status varchar, message varchar, extra_columns varchar, loaded_at timestamptz);
    create table if not exists rejects (
      run_id varchar, file_id integer, source varchar, file varchar, line bigint, "column" varchar, value varchar, reason varchar);
  `);
  for (const s of sourceNames) {
    const cols = sources[s].columns.map((c) => `${ident(c.name)} varchar`).join(', ');
    await db.exec(`create table if not exists ${ident(rawTable(s))} (${cols}, _file_id integer, _line bigint, _load_seq integer)`);
  }
}
