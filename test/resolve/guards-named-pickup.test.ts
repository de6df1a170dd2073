/**
 * A warehouse writes its clients' names on some of their parcels and its own on others (issue 14,
 * hp24): a parcel under the warehouse's name and phone, with nothing of the seller's own on it,
 * picked up from a place from which the same warehouse phone booked parcels under one seller's own
 * name and no other's, is that seller's — a hamlet too, which by itself names nobody
 * (int_cod_senders.sql `booked_place`, int_record_identity.sql `place_parcels`). Staging tables →
 * int_cod_senders → int_identity_records → resolveIdentities → int_entities → int_record_identity
 * (→ int_parcels_classified); every record key starts with its person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, taxpayer, unattributed } from './parcel-delivery.js';

const hub = { name: 'kho hang an phat', phone: '0900000009', account: 'VCB:777' };
const other = { name: 'kho van minh chau', phone: '0900000008' };
const hamletOf = (i: number) => `Thôn ${i + 1}, Xã An Bình`;
const names: Record<string, string> = { A: 'tran van an', B: 'le thi binh' };

/**
 * Five sellers A–E booking through the warehouse from their hamlets (more pickup places than one
 * seller has: the phone is the warehouse's), three parcels each under the warehouse's name, none
 * paid into an account; and two of A's under A's own name.
 */
function delivery(): Row[] {
  const cod: Row[] = [];
  ['A', 'B', 'C', 'D', 'E'].forEach((p, i) => {
    for (let j = 0; j < 3; j++) cod.push(parcel(p, hub.name, hub.phone, null, hamletOf(i)));
  });
  cod.push(parcel('A', names.A!, hub.phone, null, hamletOf(0)), parcel('A', names.A!, hub.phone, null, hamletOf(0)));
  return cod;
}

/**
 * `delivery()` paid into a COD collector's account `collector`, which ten other sellers are paid into
 * under their own names.
 */
function collected(collector: string): Row[] {
  const cod: Row[] = delivery().map((r) => ({ ...r, remit_account: collector }));
  for (let i = 0; i < 10; i++)
    cod.push(parcel('S', `pham van si ${'abcdefghij'[i]}`, `09110000${10 + i}`, collector, `${i + 1} tran phu, p. 2`));
  return cod;
}

const firstOf = (cod: Row[], p: string, name = hub.name) =>
  cod.find((r) => r.record_key!.startsWith(`${p}:`) && r.sender_name === name)!.record_key!;

describe('warehouse parcels from a place where the warehouse wrote one seller’s name', () => {
  it('go with that seller, and count in her COD sales', async () => {
    await withDb(async (db) => {
      const cod = delivery();
      await build(db, { stg_cod_shipments: cod });
      // the three under the warehouse's name have nothing of A's own on them
      expect(
        await db.value<number>(
          `select count(*)::int from int_cod_senders where sender_key is null and record_key like 'A:%'`,
        ),
      ).toBe(3);
      expect(await unattributed(db)).toEqual({ B: 3, C: 3, D: 3, E: 3 });
      expect(await entities(db)).toEqual([['A']]);
      const a = await db.value<string>(
        `select record_id from int_record_identity where record_key = '${firstOf(cod, 'A', names.A)}'`,
      );
      expect(
        await db.value<string>(`select record_id from int_record_identity where record_key = '${firstOf(cod, 'A')}'`),
      ).toBe(a);
      expect(
        await db.value<number>(`select count(*)::int from int_parcels_classified where record_key like 'A:%'`),
      ).toBe(5);
    });
  });

  it('stay unattributed where the warehouse wrote two sellers’ names (neighbours in one hamlet)', async () => {
    await withDb(async (db) => {
      const cod = delivery();
      // B lives in A's hamlet, and the warehouse wrote B's name on one of B's parcels from there
      for (const r of cod.filter((x) => x.record_key!.startsWith('B:'))) r.address = hamletOf(0);
      cod.push(parcel('B', names.B!, hub.phone, null, hamletOf(0)));
      cod.push(
        ...['F', 'G'].flatMap((p, i) => [1, 2, 3].map(() => parcel(p, hub.name, hub.phone, null, hamletOf(5 + i)))),
      );
      await build(db, { stg_cod_shipments: cod });
      const left = await unattributed(db);
      expect(left.A).toBe(3);
      expect(left.B).toBe(3);
      for (const e of await entities(db)) expect(e).toHaveLength(1);
    });
  });

  it('stay unattributed at the depot, where the warehouse hands over parcels paid in several ways', async () => {
    await withDb(async (db) => {
      const depot = 'Thôn 9, Xã Tân Lập';
      const cod = delivery();
      // at the depot: A's parcels under A's name paid into A's account; B's and C's under the
      // warehouse's name, paid into the warehouse's account or into nothing
      cod.push(
        parcel('A', names.A!, hub.phone, 'TCB:1', depot),
        parcel('B', hub.name, hub.phone, hub.account, depot),
        parcel('C', hub.name, hub.phone, null, depot),
      );
      await build(db, { stg_cod_shipments: cod });
      const left = await unattributed(db);
      expect(left.B).toBe(4);
      expect(left.C).toBe(4);
      for (const e of await entities(db)) expect(e).toHaveLength(1);
    });
  });

  it('another warehouse’s parcels from that place are not hers (a neighbour it never names)', async () => {
    await withDb(async (db) => {
      const cod = delivery();
      // a second warehouse books for F (A's neighbour) and four others, never writing their names
      ['F', 'G', 'H', 'I', 'J'].forEach((p, i) => {
        for (let j = 0; j < 3; j++)
          cod.push(parcel(p, other.name, other.phone, null, i === 0 ? hamletOf(0) : hamletOf(10 + i)));
      });
      await build(db, { stg_cod_shipments: cod });
      expect((await unattributed(db)).F).toBe(3);
      expect(await entities(db)).toEqual([['A']]);
    });
  });

  it('go with her when paid into a COD collector’s account she does not hold, her named parcels too', async () => {
    await withDb(async (db) => {
      const cod = collected('ICB:104');
      await build(db, { stg_cod_shipments: cod });
      expect(await unattributed(db)).toEqual({ B: 3, C: 3, D: 3, E: 3 });
      expect(await entities(db)).toContainEqual(['A']);
    });
  });

  it('do not go to the seller holding the account their COD is paid into, which collects for many', async () => {
    await withDb(async (db) => {
      const collector = 'ICB:104';
      // A collects COD cash for ten other sellers, paid into her account under their own names and
      // phones (a market's account, by its spread); the warehouse's parcels are paid into it too
      const cod = collected(collector);
      // A's statement of that account
      const statement: Row[] = [1, 2].map((k) => ({
        record_key: `A:b${k}`,
        account: collector,
        holder_name: 'TRAN VAN AN',
        name_key: names.A,
        national_id: '001190000001',
        booked_at: '2025-03-08 10:00:00',
        direction: 'credit',
        description_key: 'thu ho cod',
        amount: '950000',
        tax_year: '2025',
      }));
      await build(db, { stg_cod_shipments: cod, stg_bank_transactions: statement });
      // A's parcels under her own name and her statement both carry the account
      expect(
        await db.value<number>(`
          select count(distinct source)::int from int_identity_records
          where name_key = '${names.A}' and account = '${collector}'`),
      ).toBe(2);
      // the warehouse's parcels paid into her collecting account are no more hers than the ten others'
      expect((await unattributed(db)).A).toBe(3);
    });
  });

  it('stay unattributed at the warehouse’s registered premises, where it wrote one client’s name (pl27)', async () => {
    await withDb(async (db) => {
      // the operator W is registered at the depot with the warehouse's phone; every parcel there is
      // paid one way (into nothing), so the depot is not found by its payments: A's under A's name,
      // B's under the warehouse's
      const depot = '24 quang trung, p. tan lap';
      const cod = delivery();
      cod.push(
        parcel('A', names.A!, hub.phone, null, depot),
        parcel('A', names.A!, hub.phone, null, depot),
        ...[1, 2, 3].map(() => parcel('B', hub.name, hub.phone, null, depot)),
      );
      await build(db, {
        stg_cod_shipments: cod,
        stg_taxpayers: [taxpayer('W', 'ho kinh doanh kho hang an phat', '001180000007', hub.phone, depot)],
      });
      // A's hamlet still names A; the depot names nobody: B's parcels there are not A's
      const left = await unattributed(db);
      expect(left.B).toBe(6);
      expect(left).not.toHaveProperty('A');
      for (const e of await entities(db)) expect(e).not.toEqual(expect.arrayContaining(['A', 'B']));
    });
  });
});
