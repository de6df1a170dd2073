/**
 * Warehouse parcels on small hand-built deliveries (issue 14, recall): a fulfilment warehouse books
 * parcels under its own name and phone, and a parcel with nothing of the seller's own left on it is
 * given to a seller only when its pickup place is one household's home where that seller's own
 * records, and nobody else's, come from (int_cod_senders.sql `home_place`, int_record_identity.sql
 * `home_parcels`). Staging tables → int_cod_senders → int_identity_records → resolveIdentities →
 * int_entities → int_record_identity (→ int_parcels_classified); every record key starts with its
 * person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../engine/warehouse/db.js';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Row, unattributed } from './parcel-delivery.js';

/** The person letters of the records in the entity holding `recordKey`. */
async function peopleWith(db: Db, recordKey: string): Promise<string> {
  return (
    (await db.value<string>(`
      select string_agg(distinct split_part(r2.record_key, ':', 1), '' order by split_part(r2.record_key, ':', 1))
      from int_record_identity r
      join int_entities e using (record_id)
      join int_entities e2 on e2.entity_id = e.entity_id
      join int_record_identity r2 on r2.record_id = e2.record_id
      where r.record_key = '${recordKey}'`)) ?? ''
  );
}

const hub = { name: 'kho hang an phat', phone: '0900000009', account: 'VCB:777' };
const homeOf = (i: number) => `${i + 10} le loi, p. 1`;

/**
 * Five sellers A–E booking through the warehouse from their homes (more pickup places than one
 * seller has: the phone is the warehouse's), `k` parcels each, paid as `remit(i)` says; then `extra`.
 */
function warehouseDelivery(remit: (i: number) => string | null, k = 3): Row[] {
  const cod: Row[] = [];
  ['A', 'B', 'C', 'D', 'E'].forEach((p, i) => {
    for (let j = 0; j < k; j++) cod.push(parcel(p, hub.name, hub.phone, remit(i), homeOf(i)));
  });
  return cod;
}

describe('warehouse parcels attributed by the pickup home', () => {
  it('a warehouse parcel picked up at the one home where a seller is registered goes to that seller', async () => {
    await withDb(async (db) => {
      const cod = warehouseDelivery(() => null);
      await build(db, {
        stg_cod_shipments: cod,
        // A is registered at the home A's warehouse parcels leave from ("Phường 1" as the parcels' "p. 1")
        stg_taxpayers: [taxpayer('A', 'tran van an', '001190000001', '0911000001', '10 Lê Lợi, Phường 1, Q. Ba Đình')],
      });
      // nothing of a seller's own on any parcel: int_cod_senders gives none a sender profile
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where sender_key is null`)).toBe(15);
      // A's three go with A's registry record; the others (no own record at their homes) stay unattributed
      expect(await unattributed(db)).toEqual({ B: 3, C: 3, D: 3, E: 3 });
      for (const e of await entities(db)) expect(e).toHaveLength(1);
      expect(await peopleWith(db, cod[0]!.record_key!)).toBe('A');
      // and count in A's COD sales
      expect(
        await db.value<number>(`select count(*)::int from int_parcels_classified where record_key like 'A:%'`),
      ).toBe(3);
    });
  });

  it('a home where two entities have records of their own attributes nothing', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_cod_shipments: warehouseDelivery(() => null),
        // A and F (another person, F's own papers) registered at A's home: a family, a rented room
        stg_taxpayers: [
          taxpayer('A', 'tran van an', '001190000001', '0911000001', homeOf(0)),
          taxpayer('F', 'le thi phuong', '001190000066', '0911000066', homeOf(0)),
        ],
      });
      expect(await unattributed(db)).toEqual({ A: 3, B: 3, C: 3, D: 3, E: 3 });
    });
  });

  it("a nominee shop's address is its lender's home: the lender's warehouse parcels do not go to the operator", async () => {
    await withDb(async (db) => {
      // O runs a shop on A's papers at A's home, paid into O's own account (the bank knows O)
      const shop: Row = {
        record_key: 'O:shopee:1:2025-01',
        shop_key: 'shopee:1',
        shop_name: 'nha an',
        owner_name: 'tran van an',
        name_key: 'tran van an',
        national_id: '001190000001',
        phone: '0911000001',
        payout_account: 'TCB:9',
        province: 'Hà Nội',
        address: homeOf(0),
        period: '2025-01',
      };
      const holder = (k: number): Row => ({
        record_key: `O:b${k}`,
        account: 'TCB:9',
        holder_name: 'PHAM VAN OANH',
        name_key: 'pham van oanh',
        national_id: '001190000099',
        booked_at: '2025-03-01',
        direction: 'credit',
        description_key: 'ck',
        amount: '100000',
      });
      await build(db, {
        stg_cod_shipments: warehouseDelivery(() => null),
        stg_platform_sellers: [shop],
        stg_bank_transactions: [holder(1), holder(2)],
      });
      expect(await db.value<boolean>(`select nominee from int_identity_records where source_key = 'shopee:1'`)).toBe(
        true,
      );
      expect((await unattributed(db)).A).toBe(3);
    });
  });

  it('a hamlet (no house number) is many households: it attributes nothing', async () => {
    await withDb(async (db) => {
      const cod = warehouseDelivery(() => null);
      for (const p of cod.filter((r) => r.record_key!.startsWith('A:'))) p.address = 'Thôn 2, Xã An Bình';
      await build(db, {
        stg_cod_shipments: cod,
        stg_taxpayers: [taxpayer('A', 'tran van an', '001190000001', '0911000001', 'Thôn 2, Xã An Bình')],
      });
      expect(await unattributed(db)).toEqual({ A: 3, B: 3, C: 3, D: 3, E: 3 });
    });
  });

  it('the warehouse registered at its own depot does not get the parcels it books from there', async () => {
    await withDb(async (db) => {
      const depot = '5 tran phu, p. 3';
      // every seller's parcels also leave from the depot, none paid into any account (nothing tells
      // the depot from a home by the way parcels are paid there)
      const cod = warehouseDelivery(() => null);
      for (const p of ['A', 'B', 'C']) cod.push(parcel(p, hub.name, hub.phone, null, depot));
      await build(db, {
        stg_cod_shipments: cod,
        // the company under its legal name, with the phone it books under
        stg_taxpayers: [taxpayer('W', 'cong ty tnhh logistics an phat', '0101234567', hub.phone, depot)],
      });
      expect(await unattributed(db)).toEqual({ A: 4, B: 4, C: 4, D: 3, E: 3 });
      expect((await entities(db)).flat()).not.toContain('A');
    });
  });

  it("the depot where the warehouse hands over parcels paid in several ways is nobody's home", async () => {
    await withDb(async (db) => {
      const depot = '5 tran phu, p. 3';
      // A is paid into A's own account, B into nothing; both hand parcels over at the depot, where
      // F's shop happens to be registered
      const cod = warehouseDelivery((i) => (i === 0 ? 'TCB:1' : null));
      cod.push(parcel('A', hub.name, hub.phone, 'TCB:1', depot), parcel('B', hub.name, hub.phone, null, depot));
      await build(db, {
        stg_cod_shipments: cod,
        stg_taxpayers: [taxpayer('F', 'le thi phuong', '001190000066', '0911000066', depot)],
      });
      // B's depot parcel is not F's
      expect((await unattributed(db)).B).toBe(4);
      for (const e of await entities(db)) expect(e).toHaveLength(1);
    });
  });

  it('a numbered ward typed P13 or Phường 13 is one place: a seller paid into their own account from home keeps it', async () => {
    await withDb(async (db) => {
      // A's parcels from one home, written two ways, all paid into A's account; the others paid into nothing
      const cod = warehouseDelivery((i) => (i === 0 ? 'TCB:1' : null));
      cod.push(parcel('A', hub.name, hub.phone, 'TCB:1', '10 le loi, P13'));
      cod.push(parcel('A', hub.name, hub.phone, 'TCB:1', '10 le loi, Phường 13'));
      for (const r of cod.filter((x) => x.record_key!.startsWith('A:'))) r.address = r.address!.replace('p. 1', 'P.13');
      await build(db, { stg_cod_shipments: cod });
      expect(
        await db.value<number>(
          `select count(distinct address_head)::int from int_cod_senders where record_key like 'A:%'`,
        ),
      ).toBe(1);
      expect((await unattributed(db)).A).toBeUndefined();
    });
  });

  it("a parcel under the warehouse's name with no phone does not make the warehouse's account a seller's", async () => {
    await withDb(async (db) => {
      // A and B paid into the warehouse's account from their homes; C–E into nothing; a few parcels
      // of A and B under the warehouse's name with the phone left out
      const cod = warehouseDelivery((i) => (i < 2 ? hub.account : null));
      cod.push(
        parcel('A', hub.name, null, hub.account, homeOf(0)),
        parcel('B', hub.name, null, hub.account, homeOf(1)),
      );
      await build(db, { stg_cod_shipments: cod });
      // no record or entity holds A's and B's parcels together
      const mixed = await db.value<number>(`
        select count(*)::int from (select sender_key from int_cod_senders where sender_key is not null
          group by 1 having count(distinct split_part(record_key, ':', 1)) > 1)`);
      expect(mixed).toBe(0);
      for (const e of await entities(db)) expect(e).toHaveLength(1);
      expect(await unattributed(db)).toEqual({ A: 4, B: 4, C: 3, D: 3, E: 3 });
    });
  });

  it("a post office many senders use is nobody's place: it does not make a seller's phone a warehouse's", async () => {
    await withDb(async (db) => {
      const office = 'Bưu cục Ba Đình, 5 Đội Cấn';
      // A books her own parcels from her home, her former home, her mother's and the post office;
      // four other sellers drop theirs there too, each with a phone and an account of their own
      const cod: Row[] = ['10 le loi, p. 1', '22 hang bong, p. 2', '31 tran phu, p. 3', office].map((a) =>
        parcel('A', 'tran thi an', '0911000001', 'TCB:1', a),
      );
      ['B', 'C', 'D', 'E'].forEach((p, i) =>
        cod.push(parcel(p, `le van ${p.toLowerCase()}`, `091100001${i}`, `ACB:2${i}`, office)),
      );
      await build(db, { stg_cod_shipments: cod });
      expect(
        await db.value<number>(`select count(*)::int from int_cod_senders where record_key like 'A:%' and via_hub`),
      ).toBe(0);
      expect(await entities(db)).toContainEqual(['A']);
    });
  });
});
