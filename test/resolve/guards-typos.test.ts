/**
 * Phone typos on small hand-built deliveries (issue 14, recall): on one name, a phone written on
 * few records and by that name alone, one digit or one swap of two neighbours away from a phone the
 * same name writes on more records, stands for that phone (int_identity_records.sql `phone_typos`,
 * column `phone_typo_of`; the resolver compares `phone_key`). Never across two names. Every record
 * key starts with its person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Row } from './parcel-delivery.js';

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
