/**
 * A marketplace's collection account on COD parcels (issue 14, off-grid sweep): the account is paid
 * on the parcels of every seller of the platform, so it names none of them. Where it is all a parcel
 * carries besides a name (the phone missing, or a warehouse's), the parcels of two sellers must not
 * fall into one sender profile (int_cod_senders.sql, `own`, `name_only`). Every record key starts
 * with its person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../engine/warehouse/db.js';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row } from './parcel-delivery.js';

/** The person letters of each sender profile int_cod_senders made, e.g. ['A', 'AB']. */
async function profiles(db: Db): Promise<string[]> {
  const rows = await db.all<{ people: string }>(`
    select string_agg(distinct split_part(record_key, ':', 1), '' order by split_part(record_key, ':', 1)) as people
    from int_cod_senders where sender_key is not null group by sender_key order by people`);
  return rows.map((r) => r.people);
}

const market = 'VCB:1098466253199';
/** Ten other sellers paid through the marketplace under their own names and phones: the account is a market's. */
const marketSellers = (): Row[] =>
  Array.from({ length: 10 }, (_, i) =>
    parcel(`${'FGHIJKLMNO'[i]}`, `shop so ${i}`, `09120000${10 + i}`, market, `${i + 30} tran phu, p. 4`),
  );

describe('a marketplace collection account names no seller', () => {
  it.each([
    { label: "the market's account", account: market },
    { label: 'no account', account: null },
  ])('two namesakes with no phone and $label are two sender profiles, one per pickup place', async ({ account }) => {
    await withDb(async (db) => {
      const cod = [...marketSellers()];
      for (let j = 0; j < 3; j++) {
        cod.push(parcel('A', 'nguyen thi lan', null, account, '12 le loi, p. 1'));
        cod.push(parcel('B', 'nguyen thi lan', null, account, '48 hai ba trung, p. 6'));
      }
      await build(db, { stg_cod_shipments: cod });
      const p = await profiles(db);
      expect(p).toContain('A');
      expect(p).toContain('B');
      for (const people of p) expect(people).toHaveLength(1);
      // without the account nothing else joins them (with it, twelve records are too few for the degree guard
      // to see the market's account as a hub: the clustering is not what this tests)
      if (account === null)
        for (const e of await entities(db)) if (e.includes('A') || e.includes('B')) expect(e).toHaveLength(1);
    });
  });

  it("a warehouse's account with many shop names on it is not a seller's own on the parcels it books", async () => {
    await withDb(async (db) => {
      const wh = { name: 'kho hang an phat', phone: '0900000009', account: 'MB:0925664874331' };
      const cod: Row[] = [];
      // ten sellers A–J booked by the warehouse from their homes under their shops' names (10 names on the
      // warehouse's account: it passes for a market's), and under the warehouse's own name
      [...'ABCDEFGHIJ'].forEach((p, i) => {
        const home = `${i + 10} le loi, p. 1`;
        for (let j = 0; j < 2; j++) cod.push(parcel(p, `nha ${p.toLowerCase()}`, wh.phone, wh.account, home));
        cod.push(parcel(p, wh.name, wh.phone, wh.account, home));
        // the phone left off one waybill: nothing says the warehouse booked it, so its account looks the seller's own
        cod.push(parcel(p, `nha ${p.toLowerCase()}`, null, wh.account, home));
      });
      // A's and B's parcels the warehouse books from its depot: its name, phone and account only
      const depot = 'kho 250 chu van an, p. 3';
      const fromDepot = [...'AABB'].map((p) => parcel(p, wh.name, wh.phone, wh.account, depot));
      await build(db, { stg_cod_shipments: [...cod, ...fromDepot] });
      // the depot parcels carry nothing of A's or B's: no profile, never one for both
      for (const people of await profiles(db)) expect(people).toHaveLength(1);
      const keys = fromDepot.map((r) => `'${r.record_key}'`).join(', ');
      expect(
        await db.value<number>(
          `select count(*)::int from int_cod_senders where record_key in (${keys}) and sender_key is null`,
        ),
      ).toBe(4);
    });
  });
});

/** A platform shop of `person` (one period), its name as the platform shows it. */
const shop = (
  person: string,
  key: string,
  shopName: string,
  owner: string,
  phone: string,
  province = 'Hà Nội',
): Row => ({
  record_key: `${person}:${key}:2025-01`,
  shop_key: key,
  shop_name: shopName,
  owner_name: owner,
  name_key: owner,
  phone,
  payout_account: `TCB:${person}1`,
  province,
  address: `${person.charCodeAt(0)} hang bac`,
  period: '2025-01',
});

/** The ten market sellers' shops on shopee: their parcels (name and phone) tell the account serves shopee. */
const marketShops = (): Row[] =>
  Array.from({ length: 10 }, (_, i) =>
    shop(`${'FGHIJKLMNO'[i]}`, `shopee:10${i}`, `shop so ${i}`, `tran van ${i}`, `09120000${10 + i}`),
  );

/** The person letters of each entity holding one of `person`'s records. */
const entitiesOf = async (db: Db, person: string): Promise<string[]> =>
  (await entities(db)).filter((e) => e.includes(person)).map((e) => e.join(''));

describe("a shop's marketplace parcels whose phone is missing (issue 14, rec11)", () => {
  it.each([
    { label: 'the only shop of that name', others: [] as Row[], together: true },
    {
      label: 'a shop of that name in another province does not count',
      others: [shop('C', 'shopee:3', 'Nhà Hải', 'pham van cuong', '0903333333', 'Đà Nẵng')],
      together: true,
    },
    {
      label: 'two shops of that name in the province: neither',
      others: [shop('D', 'shopee:4', 'Nhà Hải', 'vo thi dung', '0904444444')],
      together: false,
    },
  ])('go with the shop of their name in their province on the platform: $label', async ({ others, together }) => {
    await withDb(async (db) => {
      const cod = [...marketSellers()];
      // A's shop Nhà Hải; its marketplace parcels under the shop's name, the phone left off the waybill
      for (let j = 0; j < 3; j++) cod.push(parcel('A', 'nha hai', null, market, '12 le loi, p. 1'));
      await build(db, {
        stg_platform_sellers: [
          ...marketShops(),
          shop('A', 'shopee:1', 'Nhà Hải', 'le thi hanh', '0901111111'),
          ...others,
        ],
        stg_cod_shipments: cod,
      });
      const a = await entitiesOf(db, 'A');
      if (together) expect(a).toEqual(['A']);
      else {
        // A's parcels stand apart from both shops of the name, and never with D's
        expect(a).toHaveLength(2);
        for (const e of a) expect(e).toBe('A');
      }
    });
  });

  it("not on a warehouse's account passing for a market's: a seller with no shop writes a name another's shop has", async () => {
    await withDb(async (db) => {
      const wh = { phone: '0900000009', account: 'MB:0925664874331' };
      // ten sellers A–J booked by the warehouse from their homes under their own shops' names (ten names on
      // its account: it passes for a market's), its phone on the waybills; none has a platform shop
      const cod: Row[] = [...marketSellers()];
      [...'ABCDEPQRST'].forEach((p, i) => {
        const home = `${i + 10} le loi, p. 1`;
        for (let j = 0; j < 2; j++) cod.push(parcel(p, `nha ${p.toLowerCase()}`, wh.phone, wh.account, home));
        // the phone left off one waybill: a shop's name and a "market's" account, as on a marketplace parcel
        cod.push(parcel(p, `nha ${p.toLowerCase()}`, null, wh.account, home));
      });
      // Z's shopee shop is called Nhà A too
      await build(db, {
        stg_platform_sellers: [...marketShops(), shop('Z', 'shopee:9', 'Nhà A', 'dang van z', '0909999999')],
        stg_cod_shipments: cod,
      });
      for (const e of await entitiesOf(db, 'Z')) expect(e).toBe('Z');
    });
  });
});
