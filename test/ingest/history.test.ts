import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import { runModels } from '../../engine/warehouse/pipeline.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const cod = 'carrier,waybill,sender_name,picked_up_on,cod_amount,status';
const shops = 'platform,shop_id,shop_name,period,gmv';

interface Case {
  name: string;
  stg: string;
  raw: string;
  file: string;
  first: string;
  second: string;
  /** What stg_ keeps for the restated record, and the raw_ history of it (file id → value). */
  key: string;
  value: string;
  kept: string | number;
  history: [number, string][];
}

const cases: Case[] = [
  {
    name: 'a carrier restates a waybill',
    stg: 'stg_cod_shipments',
    raw: 'raw_cod_shipments',
    file: 'cod_shipments_ghn.csv',
    first: `${cod}\nghn,W1,An,2026-11-02,100000,delivered\nghn,W2,An,2026-11-03,50000,delivered\n`,
    second: `${cod}\nGHN,W1,An,2026-11-02,90000,returned\n`,
    key: `waybill = 'W1'`,
    value: 'cod_amount',
    kept: 90000,
    history: [
      [1, '100000'],
      [2, '90000'],
    ],
  },
  {
    name: 'a platform restates a shop and period',
    stg: 'stg_platform_sellers',
    raw: 'raw_platform_sellers',
    file: 'platform_sellers.csv',
    first: `${shops}\nshopee,s1,Shop A,2026-10,1000000\nshopee,s1,Shop A,2026-11,2000000\n`,
    second: `${shops}\nshopee,s1,Shop A,2026-10,1500000\n`,
    key: `shop_id = 's1' and period = '2026-10'`,
    value: 'gmv',
    kept: 1500000,
    history: [
      [1, '1000000'],
      [2, '1500000'],
    ],
  },
];

describe('nightly deliveries: the later delivery wins in stg_, raw_ keeps both with their file ids', () => {
  it.each(cases)('$name', async ({ stg, raw, file, first, second, key, value, kept, history }) => {
    const root = tempDir();
    const night1 = writeFiles(join(root, 'night1'), { [file]: first });
    const night2 = writeFiles(join(root, 'night2'), { [file]: second });
    await withDb(async (db) => {
      await loadDelivery(db, night1, { runId: 'r1', log: silentLogger() });
      await loadDelivery(db, night2, { runId: 'r2', log: silentLogger() });
      await runModels(db, (m) => m.name === stg);
      expect(await db.value(`select ${value} from ${stg} where ${key}`)).toBe(kept);
      expect(await db.value(`select count(*)::int from ${stg}`)).toBe(2);
      const rows = await db.all<{ _file_id: number; v: string }>(
        `select _file_id, ${value} as v from ${raw} where ${key} order by _file_id`,
      );
      expect(rows.map((r) => [r._file_id, r.v])).toEqual(history);
      expect(await db.all(`select file_id, run_id, name from ingest_files order by file_id`)).toEqual([
        { file_id: 1, run_id: 'r1', name: file },
        { file_id: 2, run_id: 'r2', name: file },
      ]);
    });
  });

  it('within one delivery, split files load in name order, so the later name wins', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), {
      'cod_shipments_b.csv': `${cod}\nghn,W1,An,2026-11-02,2,delivered\n`,
      'cod_shipments_a.csv': `${cod}\nghn,W1,An,2026-11-02,1,delivered\n`,
    });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files.map((f) => [f.file, f.fileId])).toEqual([
        ['cod_shipments_a.csv', 1],
        ['cod_shipments_b.csv', 2],
      ]);
      await runModels(db, (m) => m.name === 'stg_cod_shipments');
      expect(await db.value(`select cod_amount from stg_cod_shipments`)).toBe(2);
      expect(await db.value(`select count(*)::int from raw_cod_shipments`)).toBe(2);
    });
  });
});
