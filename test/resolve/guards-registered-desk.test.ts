/**
 * A warehouse whose operator sells too (issue 14, wh52). Her shop record gives the warehouse's phone
 * as hers, so the phone is not taken for a warehouse's by the name written with it
 * (`named_warehouses`), and a warehouse serving one or two clients from its depot has too few places
 * and accounts for the spread to find it. The phone then decided, and a client's parcels, booked
 * under the warehouse's name at its depot and paid into the client's own account, joined the
 * operator. A phone that writes a warehouse's name on parcels paid into more than one account (the
 * collection companies' aside) books for others (int_cod_senders.sql, `registered_desks`): it says
 * who booked, not whose the parcel is. A wholesale seller trading as `Kho sỉ …` on her own phone,
 * paid into her one account, keeps it. So does a registered phone that writes a warehouse's name on parcels
 * picked up from two places or more, none of them the address its record registers (issue 14, away53): a
 * warehouse booking from its clients' homes, paid into a collection company's account or none, whose
 * clients were one seller. Hand-built deliveries as in guards-fulfilment.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Row } from './parcel-delivery.js';

const desk = '0346746131';
const name = 'fulfilment hung thinh';

/** The operator (O) sells on a marketplace on the warehouse's phone, paid into her own account. */
const shopRecord = (person: string, shopName: string, phone: string, account: string, address: string): Row => ({
  record_key: `${person}:shopee:9:2025-01`,
  shop_key: 'shopee:9',
  shop_name: shopName,
  owner_name: 'tran quoc tai',
  name_key: 'tran quoc tai',
  national_id: '001180000009',
  phone,
  payout_account: account,
  province: 'Hà Nội',
  address,
  period: '2025-01',
});

const parcels = (person: string, account: string, place: string, k = 3, sender = name, phone = desk): Row[] =>
  Array.from({ length: k }, () => parcel(person, sender, phone, account, place));

describe('a warehouse whose operator sells on its phone', () => {
  it("a client's parcels booked at the depot into her own account are not the operator's", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_platform_sellers: [shopRecord('O', 'do gia dung tai', desk, 'MB:0871', '12 ap phu hoa, x. my hoa')],
        stg_cod_shipments: [
          ...parcels('O', 'MB:0871', '12 ap phu hoa, x. my hoa'),
          // two clients at the depot, each paid into her own account: three accounts, two places
          ...parcels('A', 'VPB:7383', '237 le van sy, p. yen my'),
          ...parcels('B', 'TCB:1955', '237 le van sy, p. yen my'),
        ],
      });
      for (const e of await entities(db)) if (e.includes('O')) expect(e).toEqual(['O']);
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where hub_phone = '${desk}'`)).toBe(9);
    });
  });

  it('a wholesale seller trading as `Kho sỉ …` on her own phone, paid into her one account, keeps it', async () => {
    await withDb(async (db) => {
      const own = '0911000001';
      await build(db, {
        stg_platform_sellers: [shopRecord('W', 'kho si hana', own, 'MB:5555', '9 hang bac, p. 1')],
        stg_cod_shipments: [
          ...parcels('W', 'MB:5555', '9 hang bac, p. 1', 3, 'kho si hana', own),
          ...parcels('W', 'MB:5555', '40 kim ma, p. 2', 3, 'kho si hana', own),
        ],
      });
      expect(await entities(db)).toEqual([['W']]);
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where hub_phone is not null`)).toBe(0);
    });
  });

  it("a registered warehouse writing its name from two clients' homes, away from its registered address, books for others", async () => {
    await withDb(async (db) => {
      const phone = '0887581946';
      const booked = (person: string, sender: string, place: string): Row[] =>
        Array.from({ length: 3 }, () => parcel(person, sender, phone, null, place));
      await build(db, {
        stg_taxpayers: [
          taxpayer('O', 'hkd kho order 247 hung', '045096362270', phone, '91/33 nguyen van linh, p. tan lap'),
        ],
        stg_cod_shipments: [
          // client A's house: the warehouse's name, and her own shop's
          ...booked('A', 'kho order 247 hung', '81/39/4 doi can, p. an lac'),
          ...booked('A', 'shop tui xach hien 48', '81/39/4 doi can, p. an lac'),
          // client B's hamlet: the warehouse's name, and her own shop's
          ...booked('B', 'kho order 247 hung', 'ap long hung, x. binh minh'),
          ...booked('B', 'phuc store', 'ap long hung, x. binh minh'),
        ],
      });
      for (const e of await entities(db)) expect(e.length).toBe(1);
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where hub_phone = '${phone}'`)).toBe(12);
    });
  });

  it('a registered wholesale seller booking from her registered shop and one other place keeps her phone', async () => {
    await withDb(async (db) => {
      const own = '0911000002';
      await build(db, {
        stg_taxpayers: [taxpayer('W', 'hkd kho si mai anh', '001190000002', own, '5 hang gai, p. 3')],
        stg_cod_shipments: [
          ...parcels('W', 'MB:6666', '5 hang gai, p. 3', 3, 'kho si mai anh', own),
          ...parcels('W', 'MB:6666', '18 tran phu, p. 4', 3, 'kho si mai anh', own),
        ],
      });
      expect(await entities(db)).toEqual([['W']]);
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where hub_phone is not null`)).toBe(0);
    });
  });
});
