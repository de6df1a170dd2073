/**
 * The run's read-only snapshot: `WS/runs/<id>/snapshot.duckdb`, written at publish with the tables
 * the analyst commands read (the modelled layers `stg_`, `int_`, `mart_`, the identity graph
 * `resolve_`, the reference tables `ref_` and `outcome_subjects`; not the delivered rows `raw_`, the
 * rejects, the ledgers, nor the per-row tables they do not read: `notRead`). `explain`, `stats`
 * and `outcomes import` read it instead of the live warehouse, so they work while the next batch
 * holds the warehouse and on a workspace they may not write to.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceError } from '../errors.js';
import { ident, literal, openDb, type Db } from '../warehouse/db.js';

/** Name of the snapshot inside a run folder. */
export const SNAPSHOT_FILE = 'snapshot.duckdb';

/** Prefixes of the warehouse tables a snapshot holds. */
const snapshotPrefixes = ['stg_', 'int_', 'mart_', 'resolve_', 'ref_'];

/**
 * The big per-row tables no analyst command reads (their rows reach the dossier and the statistics
 * through `int_parcels_classified`, `int_bank_credits_classified` and `int_entities`): left out,
 * they would be about half the snapshot's size and time (5,000 persons: 59 → 29 MB).
 */
const notRead = new Set(['stg_bank_transactions', 'stg_cod_shipments', 'int_cod_senders', 'int_identity_records']);

/** Whether a warehouse table belongs in the snapshot. */
export const inSnapshot = (table: string) =>
  table === 'outcome_subjects' || (!notRead.has(table) && snapshotPrefixes.some((p) => table.startsWith(p)));

/**
 * Copies the snapshot tables of the open warehouse into `file` (a new DuckDB database, owner-only).
 * Returns the tables and rows copied.
 *
 * @example await writeRunSnapshot(db, join(runFolder, SNAPSHOT_FILE)) // { tables: 24, rows: 151830 }
 */
export async function writeRunSnapshot(db: Db, file: string): Promise<{ tables: number; rows: number }> {
  const tables = (
    await db.all<{ name: string }>(
      `select distinct table_name as name from duckdb_tables()
       where (database_name = current_database() and schema_name = 'main') or temporary order by 1`,
    )
  )
    .map((t) => t.name)
    .filter(inSnapshot);
  await db.exec(`attach ${literal(file)} as sangloc_snapshot`);
  // Text compressed with FSST only: DuckDB otherwise tries every method on every column segment.
  // 50,000 persons: 9.3 → 6.7 CPU s, 283 → 311 MB. (A process-wide setting: put back after.)
  const compression = await db.value<string>(`select current_setting('force_compression')`);
  await db.exec(`set force_compression = 'fsst'`);
  let rows = 0;
  try {
    // One call for every table: DuckDB goes from one to the next without waiting for node's event
    // loop, which is busy writing the case files meanwhile (publish runs the two at once).
    await db.exec(
      tables
        // (unqualified: the run's work tables are temporary, workModels)
        .map((t) => `create table sangloc_snapshot.main.${ident(t)} as select * from ${ident(t)};`)
        .join('\n') + '\ncheckpoint sangloc_snapshot;',
    );
    if (tables.length)
      rows =
        (await db.value<number>(
          `select ${tables.map((t) => `(select count(*) from sangloc_snapshot.main.${ident(t)})`).join(' + ')}::bigint`,
        )) ?? 0;
  } finally {
    await db.exec(`set force_compression = ${literal(compression ?? 'auto')}`);
    await db.exec('detach sangloc_snapshot');
  }
  chmodSync(file, 0o600);
  return { tables: tables.length, rows };
}

/**
 * Opens a run's snapshot read-only (nothing is written, no lock taken on the warehouse).
 *
 * @example const db = await openRunSnapshot(runDir); try { … } finally { db.close(); }
 */
export async function openRunSnapshot(runDir: string, opts: { threads?: number; memoryLimit?: string } = {}) {
  const file = join(runDir, SNAPSHOT_FILE);
  if (!existsSync(file))
    throw new WorkspaceError(
      `${runDir} has no ${SNAPSHOT_FILE} (a run published by an older release); ` +
        'run the batch again, or give --run a run published since',
    );
  try {
    return await openDb(file, { threads: opts.threads, memoryLimit: opts.memoryLimit, readOnly: true });
  } catch (err) {
    throw new WorkspaceError(`${file} cannot be opened (${(err as Error).message.split('\n')[0]})`);
  }
}
