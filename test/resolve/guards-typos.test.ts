/**
 * Phone typos on small hand-built deliveries (issue 14, recall): on one name, a phone written on
 * few records and by that name alone, one digit or one swap of two neighbours away from a phone the
 * same name writes on more records, stands for that phone (int_identity_records.sql `phone_typos`,
 * column `phone_typo_of`; the resolver compares `phone_key`). Never across two names. Every record
 * key starts with its person (`A:…`). Helpers copied from guards-fulfilment.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { featureVariables } from '../../engine/features/variables.js';
import { installNormalizeMacros } from '../../engine/normalize/sql.js';
import { resolveIdentities } from '../../engine/resolve/identity.js';
import type { Db } from '../../engine/warehouse/db.js';
import { runModels, setVariables } from '../../engine/warehouse/pipeline.js';
import { withDb } from './fixtures.js';

type Row = Record<string, string | null | undefined>;

const cols = {
  stg_taxpayers: ['record_key', 'name', 'name_key', 'national_id', 'tax_id', 'phone', 'email', 'province', 'address'],
  stg_platform_sellers: [
    'record_key',
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
  ],
  stg_websites: [
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
  stg_bank_transactions: [
    'record_key',
    'account',
    'holder_name',
    'name_key',
    'national_id',
    'tax_id',
    'booked_at',
    'direction',
    'description_key',
    'counterparty_key',
    'amount',
  ],
  stg_cod_shipments: [
    'record_key',
    'carrier',
    'tax_year',
    'picked_up_on',
    'sender_name',
    'name_key',
    'phone',
    'remit_account',
    'province',
    'address',
    'cod_amount',
    'status',
  ],
} as const;
type Table = keyof typeof cols;
type Delivery = Partial<Record<Table, Row[]>>;

async function build(db: Db, d: Delivery): Promise<void> {
  await installNormalizeMacros(db);
  await setVariables(db, featureVariables(2025));
  for (const [t, columns] of Object.entries(cols) as [Table, readonly string[]][]) {
    await db.exec(`create or replace table ${t} (${columns.map((c) => `${c} varchar`).join(', ')})`);
    for (const r of d[t] ?? [])
      await db.exec(
        `insert into ${t} values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => r[c] ?? null),
      );
  }
  await db.exec(`alter table stg_cod_shipments alter cod_amount type bigint`);
  await db.exec(`alter table stg_cod_shipments alter tax_year type integer`);
  await runModels(db, (m) => ['int_cod_senders', 'int_identity_records'].includes(m.name));
  await resolveIdentities(db, { seed: 1 });
  await runModels(db, (m) => ['int_entities', 'int_record_identity', 'int_parcels_classified'].includes(m.name));
}

/** Person letters per entity, e.g. ['A', 'B'] for an entity holding records of A and of B. */
async function entities(db: Db): Promise<string[][]> {
  const rows = await db.all<{ people: string }>(`
    select string_agg(distinct split_part(r.record_key, ':', 1), '' order by split_part(r.record_key, ':', 1)) as people
    from int_record_identity r join resolve_clusters c using (record_id)
    group by c.cluster_id order by people`);
  return rows.map((r) => r.people.split(''));
}

let n = 0;
const parcel = (
  person: string,
  name: string,
  phone: string | null,
  account: string | null,
  address: string,
  province = 'Hà Nội',
): Row => ({
  record_key: `${person}:${++n}`,
  carrier: 'ghn',
  tax_year: '2025',
  picked_up_on: '2025-03-01',
  sender_name: name,
  name_key: name,
  phone,
  remit_account: account,
  province,
  address,
  cod_amount: '200000',
  status: 'delivered',
});
const taxpayer = (person: string, name: string, nid: string, phone: string | null, address: string): Row => ({
  record_key: `${person}:t${++n}`,
  name,
  name_key: name,
  national_id: nid,
  tax_id: nid,
  phone,
  province: 'Hà Nội',
  address,
});

/** A: registered with the phone A writes on two parcels too. */
const own = (): Row[] => [
  parcel('A', 'nguyen van an', '0912345678', null, '10 le loi, p. 1'),
  parcel('A', 'nguyen van an', '0912345678', null, '10 le loi, p. 1'),
];
const registry = (): Row[] => [taxpayer('A', 'nguyen van an', '001190000001', '0912345678', '10 Lê Lợi, Phường 1')];

describe('a phone with one typo stands for the phone its name writes most', () => {
  it("a parcel with two digits of the seller's phone swapped goes with the seller's records", async () => {
    await withDb(async (db) => {
      // from another pickup place, paid into nothing: only name and phone tell whose it is
      const typo = parcel('A', 'nguyen van an', '0912345687', null, '99 tran phu, p. 3');
      await build(db, { stg_cod_shipments: [...own(), typo], stg_taxpayers: registry() });
      expect(
        await db.value<string>(
          `select phone_typo_of from int_identity_records where phone = '0912345687' and source = 'cod_shipments'`,
        ),
      ).toBe('0912345678');
      expect(await entities(db)).toEqual([['A']]);
      expect(await db.value<number>(`select count(distinct cluster_id)::int from resolve_clusters`)).toBe(1);
    });
  });

  it("another name on a phone one digit from the seller's is another person", async () => {
    await withDb(async (db) => {
      // B's own phone, one digit from A's, from the same street
      const b = parcel('B', 'tran thi binh', '0912345679', null, '12 le loi, p. 1');
      await build(db, { stg_cod_shipments: [...own(), b], stg_taxpayers: registry() });
      expect(await db.value<number>(`select count(phone_typo_of)::int from int_identity_records`)).toBe(0);
      expect(await entities(db)).toEqual([['A'], ['B']]);
    });
  });

  it('a phone another name writes too is a real phone (a family phone), not a typo', async () => {
    await withDb(async (db) => {
      // A's wife's phone, one digit from A's; A once booked a parcel with it
      const wife = [
        parcel('C', 'le thi hoa', '0912345670', 'TCB:3', '10 le loi, p. 1'),
        parcel('C', 'le thi hoa', '0912345670', 'TCB:3', '10 le loi, p. 1'),
      ];
      const a = parcel('A', 'nguyen van an', '0912345670', null, '10 le loi, p. 1');
      await build(db, { stg_cod_shipments: [...own(), ...wife, a], stg_taxpayers: registry() });
      expect(await db.value<number>(`select count(phone_typo_of)::int from int_identity_records`)).toBe(0);
    });
  });

  it("a warehouse's name alone on its phone: a parcel one digit off is not taken for the warehouse's", async () => {
    await withDb(async (db) => {
      // the warehouse books under its own name and phone for many sellers; one parcel of F's under
      // the warehouse's name carries F's own phone, one digit from the warehouse's
      const wh = ['A', 'B', 'C'].map((p, i) =>
        parcel(p, 'kho hang an phat', '0900000009', null, `${i + 10} le loi, p. 1`),
      );
      const f = parcel('F', 'kho hang an phat', '0900000008', 'TCB:6', '5 tran phu, p. 3');
      await build(db, { stg_cod_shipments: [...wh, f] });
      expect(await db.value<number>(`select count(phone_typo_of)::int from int_identity_records`)).toBe(0);
    });
  });
});
