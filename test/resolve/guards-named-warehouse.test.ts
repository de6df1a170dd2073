/**
 * A fulfilment warehouse serving one client (issue 14, hub9): its waybills carry one name, one
 * phone and one account, from two places (its depot and the client's home), so by its spread it is
 * one seller. Its name says what it is (`Kho hàng …`, `Dịch vụ kho …`, `Fulfillment …`, `… Logistics`): a phone
 * written with such a name, and given as its own by no registry, shop or website record, is the
 * warehouse's (int_cod_senders.sql `named_warehouses`), and an account on its parcels is the
 * client's only when a bank holds it for someone not named a warehouse, or the client uses it on
 * parcels booked without the warehouse (`held_accounts`). Hand-built deliveries as in
 * guards-fulfilment.test.ts; every record key starts with its person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, taxpayer, unattributed } from './parcel-delivery.js';

const wh = { name: 'dich vu kho phu quy 12', phone: '0900000012', account: 'TPB:555', depot: 'kho 5 quoc lo 1a, p. 9' };
const homeA = '10 le loi, p. 1';
const homeB = '22 tran phu, p. 3';

/** `k` parcels the warehouse books for `person` from `place`, paid into `account`. */
const booked = (person: string, place: string, account: string | null, k = 3): Row[] =>
  Array.from({ length: k }, () => parcel(person, wh.name, wh.phone, account, place));

/** Bank rows of an account held by `name` (`person:bN`). */
const held = (person: string, account: string, name: string, nid: string): Row[] =>
  [1, 2].map((k) => ({
    record_key: `${person}:b${k}`,
    account,
    holder_name: name.toUpperCase(),
    name_key: name,
    national_id: nid,
    booked_at: '2025-03-01',
    direction: 'credit',
    description_key: 'ck tien hang',
    amount: '100000',
  }));

describe('a warehouse known by its name', () => {
  it("one client's parcels, paid into the warehouse's account: no seller of the warehouse's name; home parcels go to the client", async () => {
    await withDb(async (db) => {
      await build(db, {
        // A registered at her home; the warehouse books her parcels from its depot and from her home
        stg_taxpayers: [taxpayer('A', 'tran thi an', '001190000001', '0911000001', '10 Lê Lợi, Phường 1')],
        stg_cod_shipments: [...booked('A', wh.depot, wh.account, 4), ...booked('A', homeA, wh.account, 3)],
      });
      // nothing of A's own on the waybills: no sender profile (before: one profile of all seven, a seller)
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where sender_key is null`)).toBe(7);
      expect(
        await db.value<string>(`select string_agg(distinct hub_phone, ',') from int_cod_senders where via_hub`),
      ).toBe(wh.phone);
      // the home parcels go to A (her registry address), the depot's stay unattributed
      expect(await unattributed(db)).toEqual({ A: 4 });
      expect(await entities(db)).toEqual([['A']]);
    });
  });

  it("two clients paid into the warehouse's one account from their homes are not one seller", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_cod_shipments: [
          ...booked('A', wh.depot, wh.account, 2),
          ...booked('A', homeA, wh.account, 3),
          ...booked('B', homeB, wh.account, 3),
        ],
      });
      for (const e of await entities(db)) expect(e).toHaveLength(1);
      expect(await unattributed(db)).toEqual({ A: 5, B: 3 });
    });
  });

  // lg54: `Hà Thành Logistics` (one in seven warehouse names on the independent worlds) read as a seller's
  // name, so a warehouse booking for two clients from their homes under it made them one seller
  it.each(['ha thanh logistics', 'an phat fulfillment'])(
    'so is one trading as `%s` (the word last): its two clients stay apart',
    async (name) => {
      await withDb(async (db) => {
        const by = (person: string, place: string, k: number) =>
          Array.from({ length: k }, () => parcel(person, name, '0900000054', 'TPB:554', place));
        await build(db, {
          stg_cod_shipments: [...by('A', wh.depot, 2), ...by('A', homeA, 3), ...by('B', homeB, 3)],
        });
        for (const e of await entities(db)) expect(e).toHaveLength(1);
        expect(await unattributed(db)).toEqual({ A: 5, B: 3 });
      });
    },
  );

  it("the client's own account, held by her bank, still names her: the warehouse's parcels go with her account", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_bank_transactions: held('A', 'VCB:1001', 'tran thi an', '001190000001'),
        stg_cod_shipments: [...booked('A', wh.depot, 'VCB:1001', 4), ...booked('A', homeA, 'VCB:1001', 3)],
      });
      expect(await unattributed(db)).toEqual({});
      expect(await entities(db)).toEqual([['A']]);
    });
  });

  it("a wholesale seller's shop called `Kho …` on her own phone, which her shop record gives, keeps it", async () => {
    await withDb(async (db) => {
      const shop: Row = {
        record_key: 'A:shopee:1:2025-01',
        shop_key: 'shopee:1',
        shop_name: 'kho si hana',
        owner_name: 'tran thi an',
        name_key: 'tran thi an',
        national_id: '001190000001',
        phone: '0911000001',
        province: 'Hà Nội',
        address: homeA,
        period: '2025-01',
      };
      await build(db, {
        stg_platform_sellers: [shop],
        stg_cod_shipments: [
          parcel('A', 'kho si hana', '0911000001', null, homeA),
          parcel('A', 'kho si hana', '0911000001', null, homeA),
          parcel('A', 'kho si hana', '0911000001', null, '7 hang bac, p. 2'),
        ],
      });
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where via_hub`)).toBe(0);
      expect(await unattributed(db)).toEqual({});
      expect(await entities(db)).toEqual([['A']]);
    });
  });
});
