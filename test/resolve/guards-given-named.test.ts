/**
 * A shop's name on a shared contact (issue 14, gn23). On a family phone, or on an account a relative
 * is paid into too, each person's records link by the value and their own name (`phone~person`). A
 * seller's parcels under the shop's name (`Lộc's Túi xách`) named nobody there, so they formed a
 * seller of their own. A shop's name carrying the given name of one person on the value, and of no
 * other, is that person's (int_identity_records.sql `given_named`, `account_given`); one carrying two
 * people's given names stays its own. Hand-built deliveries as in guards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Delivery, type Row } from './parcel-delivery.js';

const family = '0379966329';
const account = 'VCB:1017133168693';

/** Lộc and Quang, registered on the family phone; Lộc books under his name and his shop's. */
const onePhone = (shopName: string): Delivery => ({
  stg_taxpayers: [
    taxpayer('L', 'nguyen duy loc', '036079105911', family, '478 tinh lo 8'),
    taxpayer('Q', 'tran thanh quang', '056098063961', family, '12 le loi'),
  ],
  stg_cod_shipments: [
    parcel('L', 'nguyen duy loc', family, null, '478 tinh lo 8'),
    parcel('L', 'nguyen duy loc', family, null, '478 tinh lo 8'),
    parcel('L', shopName, family, null, '478 tinh lo 8'),
    parcel('L', shopName, family, null, '478 tinh lo 8'),
    parcel('Q', 'tran thanh quang', family, null, '12 le loi'),
  ],
});

const bankLine = (person: string, description: string): Row => ({
  record_key: `${person}:b${description.length}`,
  account,
  holder_name: 'NGUYEN DUY LOC',
  name_key: 'nguyen duy loc',
  national_id: '036079105911',
  booked_at: '2025-03-01',
  direction: 'debit',
  description_key: description,
});

/** Lộc's account, into which his relative Quyên is paid too; Lộc's shop books on a phone of its own. */
const oneAccount = (shopName: string): Delivery => ({
  stg_taxpayers: [taxpayer('L', 'nguyen duy loc', '036079105911', '0379966329', '478 tinh lo 8')],
  stg_bank_transactions: [bankLine('L', 'tien dien')],
  stg_cod_shipments: [
    parcel('L', 'nguyen duy loc', '0379966329', account, '478 tinh lo 8'),
    parcel('L', shopName, '0911222333', account, '478 tinh lo 8'),
    parcel('L', shopName, '0911222333', account, '478 tinh lo 8'),
    parcel('Y', 'nguyen khanh quyen', '0860410350', account, '9 hang gai'),
    parcel('Y', 'nguyen khanh quyen', '0860410350', account, '9 hang gai'),
  ],
});

/** The entity holding the parcels under `name`, as its people's letters. */
const entityOfName = async (db: Parameters<Parameters<typeof withDb>[0]>[0], name: string) =>
  db.value<string>(`
    select string_agg(distinct split_part(r.record_key, ':', 1), '' order by split_part(r.record_key, ':', 1))
    from int_record_identity r join resolve_clusters c using (record_id)
    where c.cluster_id in (
        select c2.cluster_id from int_record_identity r2 join resolve_clusters c2 using (record_id)
        join stg_cod_shipments s on s.record_key = r2.record_key
        where s.name_key = '${name}')`);

describe("a shop's name on a family phone", () => {
  it("carrying the given name of one person on the phone is that person's", async () => {
    await withDb(async (db) => {
      await build(db, onePhone("loc's tui xach"));
      expect(await entities(db)).toEqual([['L'], ['Q']]);
    });
  });

  it.each([
    ["carrying two people's given names", 'loc & quang'],
    ['carrying no one', 'tui xach sai gon'],
    // `Phụ kiện Kem Xinh` is named after no Kiên, `Học tiếng Anh` after no Anh: a shop named after
    // someone carries the name first or last
    ['carrying a given name between other words', 'tui loc xinh'],
  ])('%s stays its own', async (_, shopName) => {
    await withDb(async (db) => {
      await build(db, onePhone(shopName));
      const found = await entities(db);
      expect(found.filter((e) => e.includes('Q'))).toEqual([['Q']]);
      // the shop's parcels are a seller of their own: two entities of L's
      expect(found.filter((e) => e.includes('L'))).toEqual([['L'], ['L']]);
      expect(await entityOfName(db, shopName)).toBe('L');
    });
  });
});

describe("a shop's name on an account a relative is paid into too", () => {
  it("carrying the holder's given name is the holder's", async () => {
    await withDb(async (db) => {
      await build(db, oneAccount('loc store'));
      expect(await entities(db)).toEqual([['L'], ['Y']]);
    });
  });

  it("carrying the holder's and the relative's given names stays its own", async () => {
    await withDb(async (db) => {
      await build(db, oneAccount('loc & quyen'));
      expect(await entities(db)).toEqual([['L'], ['L'], ['Y']]);
    });
  });
});

// A shop's marketplace parcels (its name and phone, remitted to the platform's collection account) go
// with the shop, whoever that is: on a family phone, their name does not make them the person whose
// given name the shop carries. Here nothing settles who runs the shop (on Huy's papers and account,
// named after Lâm, with Lâm's phone, and an e-mail another Lâm writes too): it stays Huy's, and its
// parcels must not carry Lâm's own records over to Huy's.
describe("a shop's marketplace parcels on a family phone", () => {
  it('do not join the person whose given name the shop carries', async () => {
    const phone = '0916573004';
    const collection = 'VCB:1029384756001';
    const shop = (person: string, key: string, owner: string, nid: string | null, ph: string, acct: string): Row => ({
      record_key: `${person}:${key}:2025-03`,
      shop_key: key,
      shop_name: owner === 'le minh lam' ? 'Lâm Decor' : 'Lâm Shop',
      owner_name: owner,
      name_key: owner,
      national_id: nid,
      phone: ph,
      email: 'lamshop@gmail.com',
      payout_account: acct,
      province: 'Đắk Lắk',
      address: '5 ap my phuoc',
      period: '2025-03',
    });
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [taxpayer('H', 'tran cong huy', '075097677003', '0323139334', '9 xom 9')],
        stg_platform_sellers: [
          shop('X', 'shopee:572435154', 'tran cong huy', '075097677003', phone, 'STB:066076680468'),
          shop('N', 'shopee:789037740', 'le minh lam', null, '0911042653', 'MB:0353808639811'),
        ],
        stg_cod_shipments: [
          parcel('M', 'nguyen minh lam', phone, 'VCB:1016913617101', '5 ap my phuoc'),
          parcel('M', 'nguyen minh lam', phone, 'VCB:1016913617101', '5 ap my phuoc'),
          parcel('X', 'lam shop', phone, collection, '5 ap my phuoc'),
          parcel('X', 'lam shop', phone, collection, '5 ap my phuoc'),
          ...'ABCDEFGIJK'
            .split('')
            .map((p, i) => parcel(p, `tiem nho ${p.toLowerCase()}`, `09310000${i}0`, collection, '1 hue')),
        ],
      });
      const found = await entities(db);
      expect(found.filter((e) => e.includes('M') && e.includes('H'))).toEqual([]);
    });
  });
});

// The shop's name on the family phone is a platform shop's whose own phone is another (its seller, a
// namesake of the Lộc on the family phone, booked a few parcels on the relative's phone, paid into
// his own account): the name says the shop's seller, not the family's Lộc.
describe("a platform shop's name on a family phone, the shop on another phone", () => {
  it('does not join the namesake on the family phone', async () => {
    await withDb(async (db) => {
      const d = onePhone('nguyen duy loc');
      await build(db, {
        ...d,
        stg_platform_sellers: [
          {
            record_key: 'N:tiktokshop:749418:2025-02',
            shop_key: 'tiktokshop:749418',
            shop_name: "Lộc's Túi xách",
            owner_name: 'nguyen duy loc',
            name_key: 'nguyen duy loc',
            national_id: '086092949541',
            phone: '0988000111',
            payout_account: 'ICB:109315111330',
            province: 'Hà Nội',
            address: '61 le thanh tong',
            period: '2025-02',
          },
        ],
        stg_cod_shipments: [
          ...(d.stg_cod_shipments ?? []),
          parcel('N', "loc's tui xach", family, 'ICB:109315111330', '61 le thanh tong'),
          parcel('N', "loc's tui xach", family, 'ICB:109315111330', '61 le thanh tong'),
        ],
      });
      const found = await entities(db);
      expect(found.filter((e) => e.includes('L') && e.includes('N'))).toEqual([]);
    });
  });
});
