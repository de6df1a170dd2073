/**
 * Staging models normalise a bank name, a province or an address once per distinct value and join
 * the result back (a scalar subquery per row held every wide row in memory: bench/README.md). Each
 * row must still get what the row-wise macros give it: checked row by row on data-samples.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import { installNormalizeMacros } from '../../engine/normalize/index.js';
import { packageRoot } from '../../engine/paths.js';
import { openDb, type Db } from '../../engine/warehouse/db.js';
import { runModels } from '../../engine/warehouse/pipeline.js';

let db: Db;

beforeAll(async () => {
  db = await openDb(':memory:');
  await installNormalizeMacros(db);
  await loadDelivery(db, join(packageRoot, 'data-samples'), { runId: 'r', log: silentLogger() });
  // A province typed but naming no province: the address must give it (the models read an address
  // only where the province text gives none). Copies of sample rows, under a file id of their own.
  await db.exec(`insert into raw_cod_shipments by name
    select * replace ('không rõ' as sender_province, waybill || '-x' as waybill, 9001 as _file_id)
    from raw_cod_shipments where norm_province(sender_address) is not null limit 3`);
  await db.exec(`insert into raw_platform_sellers by name
    select * replace ('không rõ' as province, shop_id || '-x' as shop_id, 9002 as _file_id)
    from raw_platform_sellers where norm_province(address) is not null limit 3`);
  await runModels(db, (m) => m.layer === 'staging');
}, 120_000);
afterAll(() => db.close());

describe('staging: values normalised once per distinct value are the row-wise macros', () => {
  it.each([
    { model: 'stg_bank_transactions', column: 'account', expected: 'norm_account(r.bank, r.account)' },
    {
      model: 'stg_bank_transactions',
      column: 'counterparty_account',
      expected: 'norm_account(r.counterparty_bank, r.counterparty_account)',
    },
    {
      model: 'stg_cod_shipments',
      column: 'province',
      expected: 'coalesce(norm_province(r.sender_province), norm_province(r.sender_address))',
    },
    { model: 'stg_cod_shipments', column: 'remit_account', expected: 'norm_account(r.remit_bank, r.remit_account)' },
    {
      model: 'stg_platform_sellers',
      column: 'province',
      expected: 'coalesce(norm_province(r.province), norm_province(r.address))',
    },
    {
      model: 'stg_platform_sellers',
      column: 'payout_account',
      expected: 'norm_account(r.payout_bank, r.payout_account)',
    },
  ])('$model $column = $expected', async ({ model, column, expected }) => {
    const raw = model.replace(/^stg_/, 'raw_');
    const counts = await db.one<{ rows: number; filled: number; differ: number }>(
      `select count(*)::int as rows, count(s.${column})::int as filled,
         count(*) filter (where s.${column} is distinct from ${expected})::int as differ
       from ${model} s join ${raw} r using (_file_id, _line)`,
    );
    expect(counts!.differ).toBe(0);
    // not vacuous: the samples have rows, and values the join gives
    expect(counts!.rows).toBeGreaterThan(50);
    expect(counts!.filled).toBeGreaterThan(counts!.rows / 2);
  });

  it('a COD parcel without its province typed takes the province of its address', async () => {
    const n = await db.value<number>(
      `select count(*)::int from stg_cod_shipments s join raw_cod_shipments r using (_file_id, _line)
       where r.sender_province is null and s.province is not null`,
    );
    expect(n).toBeGreaterThan(0);
  });

  it('a row whose province text names no province takes the province of its address', async () => {
    for (const [model, raw, province, fileId] of [
      ['stg_cod_shipments', 'raw_cod_shipments', 'sender_province', 9001],
      ['stg_platform_sellers', 'raw_platform_sellers', 'province', 9002],
    ] as const) {
      const rows = await db.all<{ typed: string; province: string | null }>(
        `select r.${province} as typed, s.province from ${model} s join ${raw} r using (_file_id, _line)
         where r._file_id = ${fileId}`,
      );
      expect(rows, model).toHaveLength(3);
      for (const row of rows) {
        expect(await db.value(`select norm_province($t)`, { t: row.typed }), model).toBeNull();
        expect(row.province, model).not.toBeNull();
      }
    }
  });
});
