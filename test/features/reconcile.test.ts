import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { RevenueReconciliationError, RunFailedError } from '../../engine/errors.js';
import { assertReconciled, reconcileRevenue, type RevenueReconciliation } from '../../engine/features/reconcile.js';
import { silentLogger } from '../../engine/log.js';
import { runBatch } from '../../engine/run.js';
import { openDb } from '../../engine/warehouse/db.js';
import { readModels, type Model } from '../../engine/warehouse/pipeline.js';
import { tempDir, writeFiles } from '../helpers.js';
import { buildWithExactResolver } from '../pipelines/build.js';

const M = 1_000_000;

/** Models a run reads instead of pipelines/ (a bug planted for one test); undefined = as they are. */
const planted = vi.hoisted(() => ({ models: undefined as Model[] | undefined }));
vi.mock('../../engine/warehouse/pipeline.js', async (original) => {
  const real = await original<typeof import('../../engine/warehouse/pipeline.js')>();
  return { ...real, readModels: (dir?: string) => planted.models ?? real.readModels(dir) };
});

/**
 * Seller An (registered): 3 parcels delivered to his own account (6 M), 1 returned, 1 cancelled, 1 of
 * the tax year before, 1 marketplace parcel on a platform's account that collects for 12 more
 * senders; a warehouse's 4 parcels from 4 places with nothing of their seller on them (linked to no
 * one). His bank account: a carrier remittance, a marketplace payout, a salary, 2 buyer transfers
 * (1.5 M), one credit of the year before and a debit. Dung: a carrier remits him 3 M for parcels no
 * record links to him.
 */
const delivery = {
  'taxpayers.csv': [
    'tax_id,taxpayer_type,name,national_id,phone,email,address,ward,province,activity_group,registered_on,status',
    '0100109106,household,Nguyễn Văn An,001085012345,0912345678,an@gmail.com,"12 Lê Lợi, P. Bến Nghé",,TP.HCM,goods,2020-01-01,active',
  ].join('\n'),
  'declarations.csv': [
    'tax_id,period,declared_revenue,tax_paid,filed_on',
    '0100109106,2025,90000000,0,2026-01-20',
  ].join('\n'),
  'cod_shipments.csv': [
    'carrier,waybill,sender_name,sender_phone,sender_address,sender_province,picked_up_on,cod_amount,status,remit_bank,remit_account',
    'ghn,W1,Nguyen Van An,0912345678,,TP HCM,2025-04-01,1000000,delivered,VCB,0071000123456',
    'ghn,W2,Nguyen Van An,0912345678,,TP HCM,2025-04-02,2000000,delivered,VCB,0071000123456',
    'ghn,W3,Nguyen Van An,0912345678,,TP HCM,2025-05-02,3000000,delivered,VCB,0071000123456',
    'ghn,W4,Nguyen Van An,0912345678,,TP HCM,2025-05-03,4000000,returned,VCB,0071000123456',
    'ghn,W5,Nguyen Van An,0912345678,,TP HCM,2025-05-04,5000000,cancelled,VCB,0071000123456',
    'ghn,W6,Nguyen Van An,0912345678,,TP HCM,2025-05-05,6000000,delivered,TCB,999000111',
    'ghn,W7,Nguyen Van An,0912345678,,TP HCM,2024-12-30,7000000,delivered,VCB,0071000123456',
    ...Array.from(
      { length: 12 },
      (_, k) => `ghn,S${k},Người Bán ${k},09${String(10000000 + k)},,Hà Nội,2025-05-05,100000,delivered,TCB,999000111`,
    ),
    ...Array.from(
      { length: 4 },
      (_, k) =>
        `ghn,H${k},Kho hàng Sao Việt,0868111222,"${k + 3} Trần Phú, Phường ${k + 1}, Quận 5",TP HCM,2025-06-0${k + 1},500000,delivered,,`,
    ),
  ].join('\n'),
  'bank_transactions.csv': [
    'bank,account,holder_name,holder_national_id,holder_tax_id,txn_id,booked_at,amount,direction,counterparty_bank,counterparty_account,counterparty_name,description',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T1,2025-04-05T10:00:00,6000000,credit,VCB,1000010,CONG TY CP DICH VU GIAO HANG NHANH,GHN doi soat COD 123',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T2,2025-04-06T10:00:00,480000000,credit,VCB,1000020,CONG TY TNHH SHOPEE,Shopee payout',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T3,2025-04-07T10:00:00,10000000,credit,VCB,1000030,CONG TY ABC,LUONG THANG 03/2025',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T4,2025-04-10T10:00:00,700000,credit,VCB,1000060,Le Van C,ck tien hang',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T5,2025-04-11T10:00:00,800000,credit,VCB,1000070,Pham Thi D,thanh toan don 12',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T6,2024-12-12T10:00:00,900000,credit,ACB,1000080,Hoang Van E,mua 2 ao',
    'VCB,0071000123456,NGUYEN VAN AN,001085012345,,T7,2025-04-13T10:00:00,300000,debit,ACB,1000080,Hoang Van E,hoan tien',
    'ACB,22334455,TRAN VAN DUNG,079088000222,,D1,2025-07-01T10:00:00,3000000,credit,VCB,1000010,CONG TY CP DICH VU GIAO HANG NHANH,GHN doi soat COD 456',
  ].join('\n'),
};

/** Every bucket of the delivery above, when the models count it right. */
const reconciled: RevenueReconciliation = {
  tax_year: 2025,
  sources: [
    {
      source: 'cod_shipments',
      rows: 23,
      vnd: 6 * M + 7 * M + 4 * M + 5 * M + 2 * M + 7.2 * M,
      buckets: [
        { bucket: 'counted', rows: 3, vnd: 6 * M },
        { bucket: 'other_year', rows: 1, vnd: 7 * M },
        { bucket: 'returned', rows: 1, vnd: 4 * M },
        { bucket: 'cancelled', rows: 1, vnd: 5 * M },
        { bucket: 'unattributed', rows: 4, vnd: 2 * M },
        { bucket: 'marketplace', rows: 13, vnd: 7.2 * M },
        { bucket: 'unexplained', rows: 0, vnd: 0 },
      ],
      revenue_vnd: 6 * M,
    },
    {
      source: 'bank_transactions',
      rows: 7,
      vnd: 1.5 * M + 0.9 * M + 6 * M + 3 * M + 480 * M + 10 * M,
      buckets: [
        { bucket: 'counted', rows: 2, vnd: 1.5 * M },
        { bucket: 'other_year', rows: 1, vnd: 0.9 * M },
        { bucket: 'unattributed', rows: 0, vnd: 0 },
        { bucket: 'carrier_remittance', rows: 1, vnd: 6 * M },
        { bucket: 'carrier_remittance_no_parcels', rows: 1, vnd: 3 * M },
        { bucket: 'platform_payout', rows: 1, vnd: 480 * M },
        { bucket: 'private', rows: 1, vnd: 10 * M },
        { bucket: 'unexplained', rows: 0, vnd: 0 },
      ],
      revenue_vnd: 1.5 * M,
    },
  ],
  unexplained: { rows: 0, vnd: 0, revenue_mismatch_vnd: 0 },
};

/** The models with one model's SQL changed: a bug to be caught. */
function withBug(name: string, from: string, to: string): Model[] {
  return readModels().map((m) => {
    if (m.name !== name) return m;
    expect(m.sql).toContain(from);
    return { ...m, sql: m.sql.replace(from, to) };
  });
}

/** The parcel W2 lost between the entities and the classified parcels (as the md5-keyed join lost warehouse profiles). */
const loseW2 = () =>
  withBug(
    'int_parcels_classified',
    'join senders s on s.record_key = p.record_key\n),',
    "join senders s on s.record_key = p.record_key and p.record_key <> 'ghn:W2'\n),",
  );

/** The delivery through the models (`models`: as they are, or with a bug), then reconciled for 2025. */
async function reconcileDelivery(models = readModels()): Promise<RevenueReconciliation> {
  const dir = writeFiles(join(tempDir(), 'delivery'), delivery);
  const db = await openDb(':memory:');
  try {
    await buildWithExactResolver(db, dir, { models });
    return await reconcileRevenue(db, 2025);
  } finally {
    db.close();
  }
}

describe('revenue reconciliation: every COD parcel and bank credit counted, or why not', () => {
  it('puts every row of the tax year in one bucket; nothing is left unexplained', async () => {
    const r = await reconcileDelivery();
    expect(r).toEqual(reconciled);
    expect(() => assertReconciled(r)).not.toThrow();
  });

  it('a parcel attributed to its seller but lost before the revenue is unexplained, and stops the run', async () => {
    const r = await reconcileDelivery(loseW2());
    const cod = r.sources[0]!;
    expect(cod.buckets.find((b) => b.bucket === 'counted')).toEqual({ bucket: 'counted', rows: 2, vnd: 4 * M });
    expect(cod.buckets.find((b) => b.bucket === 'unexplained')).toEqual({
      bucket: 'unexplained',
      rows: 1,
      vnd: 2 * M,
    });
    expect(r.unexplained).toEqual({ rows: 1, vnd: 2 * M, revenue_mismatch_vnd: 0 });
    expect(() => assertReconciled(r)).toThrow(RevenueReconciliationError);
    expect(() => assertReconciled(r)).toThrow(
      /1 cod_shipments row\(s\) of 2025 \(2\.000\.000 VND\) attributed to a seller but counted in no revenue/,
    );
  });

  it.each([
    {
      what: 'a revenue dropping a counted parcel',
      from: "where parcel_class = 'sale'",
      to: "where parcel_class = 'sale' and cod_amount < 3000000",
      mismatch: -3 * M,
      says: /holds 3\.000\.000 VND of cod_shipments revenue for 2025, the rows it counts 6\.000\.000 VND/,
    },
    {
      what: 'a revenue counting a buyer transfer twice',
      from: "from int_bank_credits_classified\n    where credit_class = 'trade'",
      to: "from (select * from int_bank_credits_classified union all select * from int_bank_credits_classified where amount = 700000)\n    where credit_class = 'trade'",
      mismatch: 0.7 * M,
      says: /holds 2\.200\.000 VND of bank_transactions revenue for 2025, the rows it counts 1\.500\.000 VND/,
    },
  ])('$what does not reconcile', async ({ from, to, mismatch, says }) => {
    const r = await reconcileDelivery(withBug('int_revenue_by_entity', from, to));
    expect(r.unexplained).toEqual({ rows: 0, vnd: 0, revenue_mismatch_vnd: mismatch });
    expect(() => assertReconciled(r)).toThrow(says);
  });
});

describe('a run reconciles its revenue before it scores', () => {
  const config = loadConfig(undefined, { threads: 1 });
  afterEach(() => {
    planted.models = undefined;
  });

  it('writes the buckets to run.json and the report', async () => {
    const root = tempDir();
    const input = writeFiles(join(root, 'delivery'), delivery);
    const ws = join(root, 'ws');
    const result = await runBatch({ input, workspace: ws, config, log: silentLogger(), taxYear: 2025 });
    const run = JSON.parse(readFileSync(join(result.runDir, 'run.json'), 'utf8'));
    expect(run.revenue_reconciliation).toEqual(reconciled);
    // the warehouse's parcels are the ones run.json `unattributed` counts
    expect(run.unattributed.by_source).toContainEqual({ source: 'cod_shipments', rows: 4, vnd: 2 * M });
    const html = readFileSync(join(result.runDir, 'report.html'), 'utf8');
    expect(html).toContain('Đối soát doanh thu năm 2025');
    expect(html).toMatch(
      /thu hộ cho sàn \(đã có trong GMV\).*?<td class="num">13<\/td><td class="num">7\.200\.000<\/td>/,
    );
  }, 120_000);

  it('fails as a bug (exit 70), publishing nothing, when its models lose an attributed parcel', async () => {
    const root = tempDir();
    const input = writeFiles(join(root, 'delivery'), delivery);
    const ws = join(root, 'ws');
    planted.models = loseW2();
    const run = runBatch({ input, workspace: ws, config, log: silentLogger(), taxYear: 2025 });
    await expect(run).rejects.toThrow(RunFailedError);
    await expect(run).rejects.toMatchObject({
      exitCode: 70,
      message: expect.stringMatching(/^revenue does not reconcile: 1 cod_shipments row\(s\) of 2025/),
    });
    expect(existsSync(join(ws, 'latest'))).toBe(false);
  }, 120_000);
});
