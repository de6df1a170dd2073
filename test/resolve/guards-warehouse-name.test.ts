/**
 * A warehouse's trade name written with a phone that books for others (issue 14, hw26). A
 * fulfilment service writes its name (`Fulfillment Hà Thành`) and phone on the parcels it books;
 * when its operator also sells, her shop record gives that phone as hers, so the phone is not taken
 * for a warehouse's by its name alone (`named_warehouses`). Its spread still finds it (parcels from
 * many places); the name written with it is then the warehouse's too (int_cod_senders.sql,
 * `flagged`): it says who booked a parcel, never whose it is. Before, a client's parcels under that
 * name, handed over at the depot and paid into the warehouse's account, were a seller of the
 * warehouse's name (a sender profile keyed by it); on an independent world (all-s7) that profile
 * joined another client's parcels under the name at the depot (name, province and address agree).
 * Only a name the phone writes at its depot or from more than one place: a client's own shop called
 * `Kho order …`, which the warehouse writes from her home alone, is hers.
 * Hand-built deliveries as in guards-fulfilment.test.ts; every record key starts with its person.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, unattributed } from './parcel-delivery.js';

const wh = {
  name: 'fulfillment ha thanh',
  phone: '0350199255',
  account: 'TCB:1944',
  depot: '169 nguyen thi minh khai, p. minh khai',
};

/** The operator (O) sells on a marketplace with the warehouse's phone: her shop record gives it. */
const operatorShop: Row = {
  record_key: 'O:shopee:9:2025-01',
  shop_key: 'shopee:9',
  shop_name: 'my pham hang',
  owner_name: 'nguyen thi hang',
  name_key: 'nguyen thi hang',
  national_id: '001180000009',
  phone: wh.phone,
  payout_account: wh.account,
  province: 'Hà Nội',
  address: '483 doi can, p. 4',
  period: '2025-01',
};

/** `k` parcels the warehouse books under its name for `person` from `place`, paid into `account`. */
const booked = (person: string, place: string, account: string | null, k = 3): Row[] =>
  Array.from({ length: k }, () => parcel(person, wh.name, wh.phone, account, place));

/** `k` parcels the warehouse books under `person`'s shop name from her home, paid into its own account. */
const shop = (person: string, name: string, home: string, k = 3): Row[] =>
  Array.from({ length: k }, () => parcel(person, name, wh.phone, wh.account, home));

/**
 * Q: at the depot under the warehouse's name, paid into his own account (which his own parcels from
 * home carry too); K: at the depot under the warehouse's name, paid into the warehouse's account;
 * R, S, T: booked from their homes under their shops' names into the warehouse's account. The phone
 * is written from four places (its depot and three homes), the warehouse's name from one.
 */
const delivery = {
  stg_platform_sellers: [operatorShop],
  stg_cod_shipments: [
    ...booked('Q', wh.depot, 'MB:0712', 4),
    parcel('Q', 'nguyen duy quang', '0988122318', 'MB:0712', '301 le hong phong, p. tran phu'),
    parcel('Q', 'nguyen duy quang', '0988122318', 'MB:0712', '301 le hong phong, p. tran phu'),
    ...booked('K', wh.depot, wh.account, 4),
    ...shop('R', 'giay dep nha trang', '12 hang bai, p. 1'),
    ...shop('S', 'tiem tra hai', '40 kim ma, p. 2'),
    ...shop('T', 'do lot nha hang', '7 lang ha, p. 3'),
  ],
};

describe("a warehouse's name on a phone that books for others", () => {
  it("at the depot, a client's parcels paid into the warehouse's account are no seller's; one paid into his own goes with him", async () => {
    await withDb(async (db) => {
      await build(db, delivery);
      // the name is the warehouse's on every parcel of its phone
      expect(
        await db.value<number>(
          `select count(*)::int from int_cod_senders where phone is null and hub_phone = '${wh.phone}' and name_key = '${wh.name}'`,
        ),
      ).toBe(0);
      // Q's depot parcels go with his own account; K's (nothing of K's own) with nobody, not with Q
      for (const e of await entities(db)) expect(e).not.toContain('K');
      expect(await entities(db)).toContainEqual(['Q']);
      expect((await unattributed(db)).K).toBe(4);
      expect(await unattributed(db)).not.toHaveProperty('Q');
    });
  });

  it("a client's shop called `Kho order …`, written by the warehouse from her home alone, is hers: her home parcels go with it", async () => {
    await withDb(async (db) => {
      await build(db, {
        ...delivery,
        stg_cod_shipments: [
          ...delivery.stg_cod_shipments,
          // C: parcels under her shop's name and under the warehouse's from her home, all paid into its account
          ...Array.from({ length: 3 }, () =>
            parcel('C', 'kho order 247', wh.phone, wh.account, '147/32 tran phu, p. 5'),
          ),
          ...booked('C', '147/32 tran phu, p. 5', wh.account, 2),
        ],
      });
      expect(
        await db.value<number>(
          `select count(*)::int from int_cod_senders where name_key = 'kho order 247' and sender_key is not null`,
        ),
      ).toBe(3);
      // the warehouse's own name from her home goes with her too (her shop's record comes from there)
      expect(await unattributed(db)).not.toHaveProperty('C');
      expect(await entities(db)).toContainEqual(['C']);
      expect(
        await db.value<number>(
          `select count(*)::int from int_record_identity where source = 'cod_shipments' and record_key like 'C:%'`,
        ),
      ).toBe(5);
    });
  });
});
