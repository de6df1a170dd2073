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
});
