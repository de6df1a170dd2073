/**
 * Issue 13, "wrong numbers, silently": inputs that used to give a wrong result with exit 0.
 * Each test loads small deliveries into an in-memory warehouse and checks the number that was wrong.
 * (Row-level cases of the same issue are in the bad-input corpus: future-period.csv,
 * absurd-amount-grouped.csv, utf8-labelled-1258.csv.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureVariables } from '../../engine/features/variables.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import { createLogger, silentLogger } from '../../engine/log.js';
import { installNormalizeMacros } from '../../engine/normalize/sql.js';
import { resolveExact } from '../../engine/resolve/exact.js';
import type { Db } from '../../engine/warehouse/db.js';
import { runModels, setVariables } from '../../engine/warehouse/pipeline.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const M = 1_000_000;
/** A logger keeping its lines. */
function memoryLogger() {
  const lines: string[] = [];
  return Object.assign(createLogger({ write: (l) => lines.push(l) }), { lines });
}

const TAXPAYERS = 'tax_id,name,province\n0100109106,Nhà sách Mít,Hà Nội\n';

/** Loads each delivery in turn (one folder each, as successive nights), then builds staging. */
async function loadNights(db: Db, nights: Record<string, string>[], log = silentLogger()) {
  const root = tempDir();
  await installNormalizeMacros(db);
  const summaries = [];
  for (const [k, files] of nights.entries()) {
    summaries.push(
      await loadDelivery(db, writeFiles(join(root, `night-${k}`), files), { runId: `r${k}`, log, tmpDir: root }),
    );
  }
  await runModels(db, (m) => m.layer === 'staging');
  return summaries;
}

describe('item 2: a branch return (MST-NNN) adds to its head office for the same period', () => {
  it('declared revenue of the entity = head office + branch', async () => {
    await withDb(async (db) => {
      await loadNights(db, [
        {
          'taxpayers.csv': TAXPAYERS,
          'declarations.csv':
            'tax_id,period,declared_revenue\n0100109106,2025,101600000\n0100109106-001,2025,50000000\n',
        },
      ]);
      await setVariables(db, featureVariables(2025));
      await runModels(db, (m) => m.name === 'int_cod_senders' || m.name === 'int_identity_records');
      await resolveExact(db, { maxNamesPerValue: 3 });
      await runModels(
        db,
        (m) =>
          m.name === 'int_entities' ||
          m.name === 'int_record_identity' ||
          m.name === 'int_entity_tax_codes' ||
          m.name === 'int_declarations_by_entity',
      );
      expect(await db.value(`select count(*)::int from stg_declarations`)).toBe(2);
      expect(await db.value(`select declared_revenue from int_declarations_by_entity where tax_year = 2025`)).toBe(
        151.6 * M,
      );
    });
  });

  it('a restated branch return still replaces the earlier branch return, not the head office one', async () => {
    await withDb(async (db) => {
      await loadNights(db, [
        {
          'declarations.csv':
            'tax_id,period,declared_revenue\n0100109106,2025,101600000\n0100109106-001,2025,50000000\n',
        },
        { 'declarations_fix.csv': 'tax_id,period,declared_revenue\n0100109106-001,2025,60000000\n' },
      ]);
      expect(await db.all(`select filer_tax_id, declared_revenue from stg_declarations order by 1`)).toEqual([
        { filer_tax_id: '0100109106', declared_revenue: 101.6 * M },
        { filer_tax_id: '0100109106-001', declared_revenue: 60 * M },
      ]);
    });
  });
});

describe('item 3: a record key restated in another letter case is one record, across deliveries as within a file', () => {
  it.each([
    {
      source: 'cod_shipments',
      header: 'carrier,waybill,sender_name,picked_up_on,cod_amount',
      first: 'ghn,GHN123,Mít,2025-03-01,100000',
      again: 'GHN, ghn123 ,Mít,2025-03-01,120000',
      count: `select count(*)::int as n, sum(cod_amount)::bigint as v from stg_cod_shipments`,
    },
    {
      source: 'bank_transactions',
      header: 'bank,account,txn_id,booked_at,amount,direction',
      first: 'VCB,0071000123456,FT25ABC,2025-03-01T10:00:00,100000,credit',
      again: 'vcb,0071000123456,ft25abc,2025-03-01T10:00:00,120000,credit',
      count: `select count(*)::int as n, sum(amount)::bigint as v from stg_bank_transactions`,
    },
    {
      source: 'platform_sellers',
      header: 'platform,shop_id,period,gmv',
      first: 'shopee,ShopMit,2025-03,100000',
      again: 'Shopee,shopmit,2025-03,120000',
      count: `select count(*)::int as n, sum(gmv)::bigint as v from stg_platform_sellers`,
    },
  ])('$source: restated next night → counted once, the later value wins', async (c) => {
    await withDb(async (db) => {
      await loadNights(db, [
        { [`${c.source}_a.csv`]: `${c.header}\n${c.first}\n` },
        { [`${c.source}_b.csv`]: `${c.header}\n${c.again}\n` },
      ]);
      expect(await db.one(c.count)).toEqual({ n: 1, v: 120000 });
    });
  });

  it.each(['cod_shipments', 'bank_transactions', 'platform_sellers'])(
    '%s: the same two rows in one file → the second is a duplicate-key reject',
    async (source) => {
      const c = {
        cod_shipments: [
          'carrier,waybill,sender_name,picked_up_on,cod_amount',
          'ghn,GHN123,Mít,2025-03-01,100000',
          'GHN, ghn123 ,Mít,2025-03-01,120000',
        ],
        bank_transactions: [
          'bank,account,txn_id,booked_at,amount,direction',
          'VCB,1,FT25ABC,2025-03-01T10:00:00,100000,credit',
          'vcb,1,ft25abc,2025-03-01T10:00:00,120000,credit',
        ],
        platform_sellers: [
          'platform,shop_id,period,gmv',
          'shopee,ShopMit,2025-03,100000',
          'Shopee,shopmit,2025-03,120000',
        ],
      }[source]!;
      await withDb(async (db) => {
        await loadNights(db, [{ [`${source}.csv`]: c.join('\n') + '\n' }]);
        expect(await db.value(`select reason from rejects where line = 3`)).toContain('duplicate key');
      });
    },
  );
});

describe('item 7: encoding windows-1258 configured for a file that is valid UTF-8', () => {
  it('reads it as UTF-8 (same names as the unconfigured load) and says so', async () => {
    await withDb(async (db) => {
      const log = memoryLogger();
      const dir = writeFiles(join(tempDir(), 'd'), { 'taxpayers.csv': TAXPAYERS });
      const s = await loadDelivery(db, dir, {
        runId: 'r',
        log,
        ingest: { sources: { taxpayers: { encoding: 'windows-1258' } } },
      });
      expect(s.files[0]!.status).toBe('loaded');
      expect(await db.value(`select name from raw_taxpayers`)).toBe('Nhà sách Mít');
      expect(log.lines.join('\n')).toMatch(
        /taxpayers\.csv: the config says "encoding": "windows-1258" \(ingest\.sources\.taxpayers\), but the file is valid UTF-8; read as UTF-8/,
      );
    });
  });
});

describe('item 4: a file re-sent after its correction is not applied again, and says what it would have changed', () => {
  const header = 'carrier,waybill,sender_name,picked_up_on,cod_amount';
  const original = `${header}\nghn,W1,Mít,2025-03-01,100000\nghn,W2,Mít,2025-03-02,200000\n`;

  it('original, correction, original again: the correction stays in force and the skip is a warning naming it', async () => {
    await withDb(async (db) => {
      const log = memoryLogger();
      const s = await loadNights(
        db,
        [
          { 'cod_shipments_ghn.csv': original },
          { 'cod_shipments_ghn_fix.csv': `${header}\nghn,W1,Mít,2025-03-01,150000\n` },
          { 'cod_shipments_ghn.csv': original },
        ],
        log,
      );
      expect(await db.all(`select waybill, cod_amount from stg_cod_shipments order by waybill`)).toEqual([
        { waybill: 'W1', cod_amount: 150000 },
        { waybill: 'W2', cod_amount: 200000 },
      ]);
      expect(s[2]!.files[0]!.status).toBe('skipped');
      expect(s[2]!.files[0]!.message).toContain(
        '1 of its records were restated with other values by later deliveries (cod_shipments_ghn_fix.csv), and those later values stay',
      );
      expect(log.lines.join('\n')).toContain(
        'sangloc: warning: cod_shipments_ghn.csv: not loaded again (same content as a file loaded before); 1 of its records were restated with other values by later deliveries (cod_shipments_ghn_fix.csv), and those later values stay: content seen before is never re-applied',
      );
    });
  });

  it('re-sending a file nothing restated (or restated with the same values) is no warning', async () => {
    await withDb(async (db) => {
      const log = memoryLogger();
      await loadNights(
        db,
        [
          { 'cod_shipments_ghn.csv': original },
          { 'cod_shipments_ghn_same.csv': `${header}\nghn,w1,Mít,2025-03-01,100000\n` },
          { 'cod_shipments_ghn.csv': original },
        ],
        log,
      );
      expect(log.lines.filter((l) => l.includes('warning'))).toEqual([]);
    });
  });
});
