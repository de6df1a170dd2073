/**
 * A fulfilment warehouse whose name does not say so (issue 14, hub10): it serves two clients and
 * pays both into its one account, so its waybills carry one name, one phone and one account from
 * three places (its depot and the two clients' homes) — within one seller's spread, and no two homes
 * are paid apart. What gives it away is the other sources: each client's registry record sits at
 * her home with her own phone, and the warehouse's phone is on neither. A seller books from her own
 * home(s), so a phone and name booking from two homes registered to two other people books for them
 * (int_cod_senders.sql `others_homes`). Hand-built deliveries as in guards-fulfilment.test.ts; every
 * record key starts with its person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, taxpayer, unattributed } from './parcel-delivery.js';

// a person's name, not a warehouse's: the name rule (hub9) does not fire
const wh = { name: 'nguyen van hung', phone: '0900000077', account: 'TPB:777', depot: '5 quoc lo 1a, p. 9' };
const homeA = '10 le loi, p. 1';
const homeB = '22 tran phu, p. 3';

/** `k` parcels the warehouse books for `person` from `place`, paid into its own account. */
const booked = (person: string, place: string, k = 3): Row[] =>
  Array.from({ length: k }, () => parcel(person, wh.name, wh.phone, wh.account, place));

describe('a warehouse whose name does not say so', () => {
  it("two clients paid into its one account, each registered at her home: not one seller; each home's parcels go to its client", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [
          taxpayer('A', 'tran thi an', '001190000001', '0911000001', '10 Lê Lợi, Phường 1'),
          taxpayer('B', 'le thi binh', '001190000002', '0911000002', '22 Trần Phú, Phường 3'),
        ],
        stg_cod_shipments: [
          ...booked('A', wh.depot, 4),
          ...booked('A', homeA, 3),
          ...booked('B', wh.depot, 4),
          ...booked('B', homeB, 3),
        ],
      });
      // before: one sender profile of all 14 parcels, a seller of the warehouse's name holding A's and B's
      expect(
        await db.value<string>(`select string_agg(distinct hub_phone, ',') from int_cod_senders where via_hub`),
      ).toBe(wh.phone);
      expect(await entities(db)).toEqual([['A'], ['B']]);
      // the depot's parcels name nobody
      expect(await unattributed(db)).toEqual({ A: 4, B: 4 });
    });
  });

  it('a seller booking from two homes of her own, whose records give her phone at both, stays one seller', async () => {
    await withDb(async (db) => {
      await build(db, {
        // registered at her former home, her shop at the new one, both with her phone; she ships with another
        stg_taxpayers: [taxpayer('A', 'tran thi an', '001190000001', '0911000001', '10 Lê Lợi, Phường 1')],
        stg_platform_sellers: [
          {
            record_key: 'A:shopee:1:2025-01',
            shop_key: 'shopee:1',
            shop_name: 'nha an',
            owner_name: 'tran thi an',
            name_key: 'tran thi an',
            national_id: '001190000001',
            phone: '0911000001',
            province: 'Hà Nội',
            address: homeB,
            period: '2025-01',
          },
        ],
        stg_cod_shipments: [
          ...Array.from({ length: 3 }, () => parcel('A', 'tran thi an', '0988000001', 'VCB:1', homeA)),
          ...Array.from({ length: 3 }, () => parcel('A', 'tran thi an', '0988000001', 'VCB:1', homeB)),
        ],
      });
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where via_hub`)).toBe(0);
      expect(await unattributed(db)).toEqual({});
    });
  });
});
