/**
 * pipelines/intermediate/int_identity_records.sql on hand-made staging tables: nominee shops,
 * the operator's phone, marketplace parcels tied to their shop, household names, phone-number
 * accounts, holders.
 */
import { describe, expect, it } from 'vitest';
import { installNormalizeMacros } from '../../engine/normalize/sql.js';
import { runModels, setVariables } from '../../engine/warehouse/pipeline.js';
import type { Db } from '../../engine/warehouse/db.js';
import { withDb } from './fixtures.js';
import { cols } from './parcel-delivery.js';

type Row = Record<string, string | null>;

async function table(db: Db, name: string, columns: string[], rows: Row[]): Promise<void> {
  await db.exec(`create or replace table ${name} (${columns.map((c) => `${c} varchar`).join(', ')})`);
  for (const r of rows) {
    await db.exec(
      `insert into ${name} values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      columns.map((c) => r[c] ?? null),
    );
  }
}

const shopCols = [
  'shop_key',
  'shop_name',
  'owner_name',
  'name_key',
  'national_id',
  'tax_id',
  'phone',
  'email',
  'payout_account',
  'province',
  'address',
  'period',
];
const shop = (
  key: string,
  tradeName: string,
  owner: string,
  phone: string,
  account: string,
  nid: string | null = null,
): Row => ({
  shop_key: key,
  shop_name: tradeName,
  owner_name: owner,
  name_key: owner,
  national_id: nid,
  phone,
  payout_account: account,
  province: 'Hà Nội',
  address: '1 Le Loi',
  period: '2025-01',
});
let waybill = 0;
const cod = (name: string, phone: string, account: string): Row => ({
  record_key: `ghn:${++waybill}`,
  sender_name: name,
  name_key: name,
  phone,
  remit_account: account,
  province: 'Hà Nội',
  address: '1 Le Loi',
  cod_amount: '100000',
  status: 'delivered',
});

/** Seller An (account TCB:1) runs shopee:1 in her own name and two shops on other people's papers. */
async function world(db: Db): Promise<void> {
  await installNormalizeMacros(db);
  await setVariables(db, { shared_remit_min_senders: 3 });
  await table(
    db,
    'stg_taxpayers',
    [...cols.stg_taxpayers],
    [
      {
        record_key: '001190000001',
        name: 'Hộ kinh doanh Nguyễn Văn An',
        name_key: 'ho kinh doanh nguyen van an',
        tax_id: '001190000001',
      },
    ],
  );
  await table(db, 'stg_platform_sellers', shopCols, [
    shop('shopee:1', 'An Shop', 'an nguyen', '0901000001', 'TCB:1', '001190000001'),
    // Binh lent her papers and her phone: the payout goes to An's account.
    shop('shopee:2', 'Hai Store', 'tran thi binh', '0902000002', 'TCB:1', '002190000002'),
    // Cuong lent his papers; the shop uses An's phone, which An's own shop uses too.
    shop('tiki:3', 'Ba Mart', 'le van cuong', '0901000001', 'TCB:1'),
    // Dung's own shop, paid to Dung's account.
    shop('shopee:4', 'Dung Home', 'pham van dung', '0904000004', 'TCB:4'),
  ]);
  await table(
    db,
    'stg_websites',
    [
      'record_key',
      'owner_name',
      'name_key',
      'national_id',
      'tax_id',
      'phone',
      'email',
      'domain',
      'province',
      'address',
    ],
    [],
  );
  await table(
    db,
    'stg_bank_transactions',
    [
      'account',
      'holder_name',
      'name_key',
      'national_id',
      'tax_id',
      'booked_at',
      'record_key',
      'direction',
      'description_key',
      'counterparty_account',
    ],
    [
      {
        account: 'TCB:1',
        holder_name: 'NGUYEN VAN AN',
        name_key: 'nguyen van an',
        national_id: '001190000001',
        booked_at: '2025-01-01',
        record_key: 'TCB:t1',
      },
      {
        account: 'TCB:4',
        holder_name: 'PHAM VAN DUNG',
        name_key: 'pham van dung',
        booked_at: '2025-01-01',
        record_key: 'TCB:t2',
      },
      {
        account: 'MB:0987654321',
        holder_name: 'LE THI E',
        name_key: 'le thi e',
        tax_id: '004190000005',
        booked_at: '2025-01-01',
        record_key: 'MB:t3',
      },
    ],
  );
  await table(
    db,
    'stg_cod_shipments',
    [...cols.stg_cod_shipments],
    [
      // Marketplace parcels (cash remitted to Shopee's collection account VCB:9).
      cod('hai store', '0902000002', 'VCB:9'),
      cod('tran thi binh', '0902000002', 'VCB:9'),
      cod('an nguyen', '0901000001', 'VCB:9'),
      cod('dung home', '0904000004', 'VCB:9'),
      // A social seller's own parcels, remitted to her account.
      cod('an shop', '0901000001', 'TCB:1'),
    ],
  );
  await runModels(db, (m) => m.name === 'int_cod_senders' || m.name === 'int_identity_records');
}

const recordOf = async (db: Db, source: string, where: string) =>
  (await db.one<Row>(
    `select * exclude (record_id) from int_identity_records where source = '${source}' and ${where}`,
  ))!;

describe('int_identity_records', () => {
  it.each([
    {
      name: "An's own shop",
      key: 'shopee:1',
      want: { nominee: false, name_key: 'an nguyen', phone: '0901000001', owner_name_key: null, owner_phone: null },
    },
    {
      name: 'a shop on lent papers and a lent phone',
      key: 'shopee:2',
      // the lender's identity moved out; the shop goes by its account holder's name (the operator)
      want: {
        nominee: true,
        name_key: 'nguyen van an',
        phone: null,
        owner_name_key: 'tran thi binh',
        owner_phone: '0902000002',
      },
    },
    {
      name: "a shop on lent papers with the operator's phone",
      key: 'tiki:3',
      want: {
        nominee: true,
        name_key: 'nguyen van an',
        phone: '0901000001',
        owner_name_key: 'le van cuong',
        owner_phone: null,
      },
    },
    {
      name: "Dung's own shop",
      key: 'shopee:4',
      want: { nominee: false, name_key: 'pham van dung', phone: '0904000004', owner_name_key: null, owner_phone: null },
    },
  ])('$name', async ({ key, want: expected }) => {
    await withDb(async (db) => {
      await world(db);
      const r = await recordOf(db, 'platform_sellers', `source_key = '${key}'`);
      expect({
        nominee: r.nominee,
        name_key: r.name_key,
        phone: r.phone,
        owner_name_key: r.owner_name_key,
        owner_phone: r.owner_phone,
      }).toEqual(expected);
      expect(r.shop_key).toBe(key);
      expect(r.national_id).toBe(expected.nominee ? null : key === 'shopee:1' ? '001190000001' : null);
    });
  });

  it.each([
    {
      name: "a parcel under the shop's name and its lent phone: the shop's, lender's identity moved out",
      sender: 'hai store',
      want: { shop_key: 'shopee:2', name_key: null, phone: null },
    },
    {
      // issue 14, rel6: no shop of the lender's own sells there, so it can only be the lent shop's
      name: "a parcel under the lender's name and phone: the shop on her papers, lender's identity moved out",
      sender: 'tran thi binh',
      want: { shop_key: 'shopee:2', name_key: null, phone: null },
    },
    {
      name: "a parcel under the owner's name and the shop's phone",
      sender: 'an nguyen',
      want: { shop_key: 'shopee:1', name_key: 'an nguyen', phone: '0901000001' },
    },
    {
      name: 'a social parcel remitted to the seller: no shop',
      sender: 'an shop',
      want: { shop_key: null, name_key: 'an shop', phone: '0901000001' },
    },
  ])('$name', async ({ sender, want: expected }) => {
    await withDb(async (db) => {
      await world(db);
      const r = await recordOf(db, 'cod_shipments', `name_display = '${sender}'`);
      expect({ shop_key: r.shop_key, name_key: r.name_key, phone: r.phone }).toEqual(expected);
    });
  });

  it("a parcel under the lender's name and phone names no shop when the lender has a shop of her own there", async () => {
    await withDb(async (db) => {
      await world(db);
      const own = shop('shopee:5', 'Binh Nail', 'tran thi binh', '0902000002', 'TCB:5', '002190000002');
      await db.exec(
        `insert into stg_platform_sellers (${shopCols.join(', ')}) values (${shopCols.map((_, i) => `$${i + 1}`).join(', ')})`,
        shopCols.map((c) => own[c] ?? null),
      );
      await runModels(db, (m) => m.name === 'int_identity_records');
      const r = await recordOf(db, 'cod_shipments', `name_display = 'tran thi binh'`);
      expect({ shop_key: r.shop_key, name_key: r.name_key, phone: r.phone }).toEqual({
        shop_key: null,
        name_key: 'tran thi binh',
        phone: '0902000002',
      });
    });
  });

  // pos20: one lender's shop named after the holder with a possessive (holder_named reads `An's` as An)
  it("a lender's shop named `An's …` paid into An's account is An's", async () => {
    await withDb(async (db) => {
      await world(db);
      await db.exec(`delete from stg_platform_sellers where shop_key = 'tiki:3';
        update stg_platform_sellers set shop_name = 'An''s Nail' where shop_key = 'shopee:2'`);
      await runModels(db, (m) => m.name === 'int_identity_records');
      const r = await recordOf(db, 'platform_sellers', `source_key = 'shopee:2'`);
      expect({ nominee: r.nominee, name_key: r.name_key, owner: r.owner_name_key }).toEqual({
        nominee: true,
        name_key: 'nguyen van an',
        owner: 'tran thi binh',
      });
    });
  });

  it('takes the household-business prefix off a name, a 12-digit tax code as national ID, and registry/bank IDs as holders', async () => {
    await withDb(async (db) => {
      await world(db);
      const t = await recordOf(db, 'taxpayers', 'true');
      expect([t.name_key, t.national_id, t.holder_id]).toEqual(['nguyen van an', '001190000001', '001190000001']);
      const b = await recordOf(db, 'bank_transactions', `account = 'MB:0987654321'`);
      expect([b.phone, b.national_id, b.holder_id]).toEqual(['0987654321', '004190000005', '004190000005']);
      expect((await recordOf(db, 'bank_transactions', `account = 'TCB:4'`)).phone).toBeNull();
      expect((await recordOf(db, 'platform_sellers', `source_key = 'shopee:1'`)).holder_id).toBeNull();
    });
  });

  // The keys are computed once per distinct address and shop name, then the latest period's taken
  // (perf6): a latest value with no key (blank) must leave the latest key there is, as per row.
  it("keys a shop's address and trade name from its latest period that has a key", async () => {
    await withDb(async (db) => {
      await world(db);
      const p = (period: string, address: string | null, tradeName: string | null): Row => ({
        ...shop('lazada:5', 'x', 'vo van nam', '0905000005', 'TCB:5'),
        shop_name: tradeName,
        address,
        period,
      });
      await table(db, 'stg_platform_sellers', shopCols, [
        p('2025-01', '3 Hàng Bạc', 'Nam Cũ'),
        p('2025-02', '5 Hàng Bạc', 'Nhà Nam'),
        p('2025-03', '   ', '  '),
        p('2025-04', null, null),
        { ...p('2025-01', '7 Lý Nam Đế', 'Đông Shop'), shop_key: 'lazada:6' },
        { ...p('2025-02', '9 Lý Nam Đế', 'Đông Store'), shop_key: 'lazada:6' },
      ]);
      await runModels(db, (m) => m.name === 'int_identity_records');
      const keys = await db.all<Row>(
        `select source_key, address_key, trade_name_key from int_identity_records
         where source = 'platform_sellers' order by source_key`,
      );
      expect(keys).toEqual([
        { source_key: 'lazada:5', address_key: '5 hang bac', trade_name_key: 'nha nam' },
        { source_key: 'lazada:6', address_key: '9 ly nam de', trade_name_key: 'dong store' },
      ]);
    });
  });

  // perf17 (issue 18): the typo blocks. Each variant differs from 001190123456 in one place that only
  // one block key still has in common; both stand for the smaller of the two.
  it.each([
    { typo: 'a digit of the first six (birth province, sex, year)', id: '002190123456' },
    { typo: 'the 6th and 7th digits swapped', id: '001191023456' },
    { typo: 'a digit among the 7th to 9th', id: '001190193456' },
    { typo: 'a digit among the 10th to 12th', id: '001190123436' },
    { typo: 'the 9th and 10th digits swapped', id: '001190124356' },
    { typo: 'a digit dropped', id: '00119012356' },
  ])('takes a holder ID with $typo for the ID it is a typo of', async ({ id }) => {
    await withDb(async (db) => {
      await world(db);
      await db.exec(
        `insert into stg_taxpayers (record_key, name_key, national_id) values
           ('t-base', 'vo van base', '001190123456'), ('t-typo', 'vo van typo', $1), ('t-far', 'vo van far', '001190654321')`,
        [id],
      );
      await runModels(db, (m) => m.name === 'int_identity_records');
      const holder = async (key: string) => (await recordOf(db, 'taxpayers', `source_key = '${key}'`)).holder_id;
      const smaller = id < '001190123456' ? id : '001190123456';
      expect([await holder('t-base'), await holder('t-typo'), await holder('t-far')]).toEqual([
        smaller,
        smaller,
        '001190654321',
      ]);
    });
  });

  it('takes a 9-digit ID (CMND) with one digit wrong in its last three for the other', async () => {
    await withDb(async (db) => {
      await world(db);
      await db.exec(
        `insert into stg_taxpayers (record_key, name_key, national_id) values
           ('t-a', 'vo van a', '123456789'), ('t-b', 'vo van b', '123456189'), ('t-c', 'vo van c', '123456788')`,
      );
      await runModels(db, (m) => m.name === 'int_identity_records');
      const holder = async (key: string) => (await recordOf(db, 'taxpayers', `source_key = '${key}'`)).holder_id;
      expect([await holder('t-a'), await holder('t-b'), await holder('t-c')]).toEqual([
        '123456189',
        '123456189',
        '123456788',
      ]);
    });
  });

  it('keeps one row per source record, with dense record ids', async () => {
    await withDb(async (db) => {
      await world(db);
      const c = (await db.one<{ n: number; d: number; hi: number }>(
        'select count(*)::int as n, count(distinct (source, source_key))::int as d, max(record_id)::int as hi from int_identity_records',
      ))!;
      expect(c).toEqual({ n: 1 + 4 + 3 + 5, d: 13, hi: 12 });
      // each id is the record's rank by (source, source_key) from 0, across sources (numbered per source)
      const ids = await db.all<{ id: number; rank: number }>(
        `select record_id::int as id, (row_number() over (order by source, source_key) - 1)::int as rank
         from int_identity_records order by source, source_key`,
      );
      expect(new Set(ids.map((r) => r.id)).size).toBe(13);
      expect(ids.map((r) => r.id)).toEqual(ids.map((r) => r.rank));
    });
  });
});
