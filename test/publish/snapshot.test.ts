import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunSnapshot, SNAPSHOT_FILE, writeRunSnapshot } from '../../engine/publish/snapshot.js';
import { tempDir, withDb } from '../helpers.js';

describe('writeRunSnapshot', () => {
  it('copies the modelled tables (not raw_ nor the per-row ones no command reads), text compressed with FSST', async () => {
    const dir = tempDir();
    await withDb(async (db) => {
      await db.exec(`
        create table stg_taxpayers as select range as n, 'Hà Nội ' || (range % 3) as province from range(5000);
        create table raw_taxpayers as select 1 as n;
        create table stg_cod_shipments as select 1 as n;
        set force_compression = 'uncompressed'`);
      expect(await writeRunSnapshot(db, join(dir, SNAPSHOT_FILE))).toEqual({ tables: 1, rows: 5000 });
      // The setting is the process's: what the caller had is back.
      expect(await db.value(`select current_setting('force_compression')`)).toBe('uncompressed');
    });
    const snap = await openRunSnapshot(dir);
    try {
      expect(await snap.all(`select table_name as t from duckdb_tables() order by 1`)).toEqual([
        { t: 'stg_taxpayers' },
      ]);
      expect(await snap.value(`select count(distinct province)::int from stg_taxpayers`)).toBe(3);
      const text = await snap.all<{ c: string }>(
        `select distinct compression as c from pragma_storage_info('stg_taxpayers')
         where column_name = 'province' and segment_type = 'VARCHAR'`,
      );
      expect(text).toEqual([{ c: 'FSST' }]);
    } finally {
      snap.close();
    }
  });

  it("copies the run's temporary work tables the dossier reads (temp34)", async () => {
    const dir = tempDir();
    await withDb(async (db) => {
      await db.exec(`
        create temp table int_parcels_classified as select range as n from range(7);
        create temp table int_cod_senders as select 1 as n;
        create table mart_entity_features as select 1 as n`);
      expect(await writeRunSnapshot(db, join(dir, SNAPSHOT_FILE))).toEqual({ tables: 2, rows: 8 });
    });
    const snap = await openRunSnapshot(dir);
    try {
      expect(await snap.all(`select table_name as t from duckdb_tables() order by 1`)).toEqual([
        { t: 'int_parcels_classified' },
        { t: 'mart_entity_features' },
      ]);
    } finally {
      snap.close();
    }
  });
});
