/**
 * A shop on a relative's papers, paid into the relative's own account (issue 14, cn23): the
 * registry's owner, ID and bank account are all the relative's, so the shop looked like the
 * relative's own. What the operator fills in tells otherwise: the shop is named after the seller
 * (`Đồ ăn vặt Quân`) and carries the seller's phone or e-mail, which the seller writes on their own
 * parcels. Such a shop goes with the person on its contacts whose given name it carries
 * (int_identity_records.sql `contact_named`); its payouts go with it, the relative's own rows stay
 * the relative's. A relative's shop named after herself or after no one, or after two people, or
 * after a name two people on the phone carry, stays its declared owner's. Hand-built deliveries as in guards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Delivery, type Row } from './parcel-delivery.js';

const sellerPhone = '0945720685';

let n = 0;
const line = (person: string, account: string, holder: string, nid: string, description: string): Row => ({
  record_key: `${person}:b${++n}`,
  account,
  holder_name: holder.toUpperCase(),
  name_key: holder,
  national_id: nid,
  booked_at: '2025-05-10',
  direction: 'credit',
  description_key: description,
});

/** A shop on Linh's papers (her name and ID), paid into her account, on the seller's phone. */
const linhsShop = (person: string, shopName: string): Row => ({
  record_key: `${person}:sendo:55010:2025-05`,
  shop_key: 'sendo:55010',
  shop_name: shopName,
  owner_name: 'Nguyễn Thu Linh',
  name_key: 'nguyen thu linh',
  national_id: '079193290394',
  phone: sellerPhone,
  payout_account: 'VCB:1075146811562',
  province: 'Đồng Tháp',
  address: '145 ly thuong kiet',
  period: '2025-05',
});

/** Quân (the seller) books parcels under his name on his phone; Linh is registered and banks on her own. */
const family = (shop: Row, payoutOf: string, others: Row[] = []): Delivery => ({
  stg_taxpayers: [
    taxpayer('S', 'nguyen van quan', '082069310878', sellerPhone, '145 ly thuong kiet'),
    taxpayer('L', 'nguyen thu linh', '079193290394', '0912000394', '8 tran phu'),
  ],
  stg_cod_shipments: [
    parcel('S', 'nguyen van quan', sellerPhone, 'CTG:105336750358', '145 ly thuong kiet'),
    parcel('S', 'nguyen van quan', sellerPhone, 'CTG:105336750358', '145 ly thuong kiet'),
    ...others,
  ],
  stg_bank_transactions: [
    line('L', 'VCB:1075146811562', 'nguyen thu linh', '079193290394', 'luong thang 4'),
    line(payoutOf, 'VCB:1075146811562', 'nguyen thu linh', '079193290394', 'sendo thanh toan doanh thu t05 55010'),
  ],
  stg_platform_sellers: [shop],
});

describe("a shop on a relative's papers paid into the relative's account", () => {
  it("named after the seller whose phone it carries, goes with the seller with its payouts; the relative's own rows stay hers", async () => {
    await withDb(async (db) => {
      await build(db, family(linhsShop('S', 'Đồ ăn vặt Quân'), 'S'));
      expect(await entities(db)).toEqual([['L'], ['S']]);
    });
  });

  // the shop's marketplace parcels carry its name and phone (here the relative's), their cash remitted to
  // the platform's collection account (ten senders or more): they go with the shop, not with the phone
  it("with the relative's phone and the seller's e-mail: neither it nor its marketplace parcels on that phone join the relative", async () => {
    const collection = 'VCB:1029384756001';
    const shop = { ...linhsShop('S', 'Đồ ăn vặt Quân'), phone: '0912000394', email: 'quan.shop47@gmail.com' };
    const marketplace = [
      ...[0, 1].map(() => parcel('S', 'do an vat quan', '0912000394', collection, '145 ly thuong kiet')),
      ...'ABCDEFGHIJ'
        .split('')
        .map((p, i) => parcel(p, `tiem nho ${p.toLowerCase()}`, `09310000${i}0`, collection, '1 hue')),
    ];
    const website: Row = {
      record_key: 'S:w1',
      owner_name: 'Nguyễn Văn Quân',
      name_key: 'nguyen van quan',
      national_id: '082069310878',
      email: 'quan.shop47@gmail.com',
      domain: 'quanshop.vn',
    };
    await withDb(async (db) => {
      await build(db, { ...family(shop, 'S', marketplace), stg_websites: [website] });
      const found = await entities(db);
      expect(found.filter((e) => e.includes('L'))).toEqual([['L']]);
      // the shop and its parcels are not the relative's (here they sit with the ten senders on the collection
      // account: too few for the degree guard to see a hub there, which is not what this tests)
      const shopCluster = await db.value<number>(
        `select count(distinct c.cluster_id)::int from int_record_identity r join resolve_clusters c using (record_id)
         where r.record_key in ('S:sendo:55010:2025-05', '${marketplace[0]!.record_key}', '${marketplace[1]!.record_key}')`,
      );
      expect(shopCluster).toBe(1);
    });
  });

  it.each([
    ['named after herself', 'Nhà Linh', []],
    ['named after no one', 'Đồ ăn vặt Sài Gòn', []],
    ["with the seller's given name between other words", 'Tiệm Quân Xinh', []],
    ['named after her and the seller', 'Linh Quân Store', []],
    // a second Quân writes the phone too (a family phone): the name tells neither
    [
      'named after a name two people on the phone carry',
      'Đồ ăn vặt Quân',
      [parcel('T', 'tran minh quan', sellerPhone, null, '145 ly thuong kiet')],
    ],
  ])("%s, stays the relative's", async (_, shopName, others) => {
    await withDb(async (db) => {
      await build(db, family(linhsShop('L', String(shopName)), 'L', others as Row[]));
      const found = await entities(db);
      expect(found.filter((e) => e.includes('L'))).toEqual([['L']]);
      expect(found.filter((e) => e.includes('S'))).toEqual([['S']]);
    });
  });
});

describe("a seller's own shop", () => {
  // its name begins with a surname (Vũ) and has three words: as a sender on its own parcels it still
  // names no other person on the shop's phone
  it("named `Vũ Đặc sản`, with parcels under that name on its phone, stays the seller's", async () => {
    const phone = '0939854696';
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [taxpayer('V', 'le xuan vu', '001093493951', phone, '479 ngo quyen')],
        stg_platform_sellers: [
          {
            record_key: 'V:tiktokshop:749450935925:2025-02',
            shop_key: 'tiktokshop:749450935925',
            shop_name: 'Vũ Đặc sản',
            owner_name: 'vu le',
            name_key: 'vu le',
            national_id: '001093493951',
            phone,
            payout_account: 'MB:0236264851822',
            province: 'Hà Nội',
            address: '479 ngo quyen',
            period: '2025-02',
          },
        ],
        stg_cod_shipments: [
          parcel('V', 'vu dac san', phone, 'TCB:19036894719600', '479 ngo quyen'),
          parcel('V', 'vu dac san', phone, 'TCB:19036894719600', '479 ngo quyen'),
        ],
      });
      expect(
        await db.value<string | null>(
          `select owner_name_key from int_identity_records where source_key = 'tiktokshop:749450935925'`,
        ),
      ).toBeNull();
    });
  });

  // the owner written given name first (`Hiếu Lê`): the shop carries the owner's given name, so the
  // Anh on the family phone (`… tiếng Anh`) is not who runs it
  it("named after its owner written given name first, on a family phone, stays the owner's", async () => {
    const phone = '0563285042';
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [
          taxpayer('H', 'le duc hieu', '066081499752', phone, 'thon 11 hung loi'),
          taxpayer('A', 'nguyen van anh', '079090000001', phone, 'thon 10 trung hoa'),
        ],
        stg_platform_sellers: [
          {
            record_key: 'H:shopee:195606082:2025-02',
            shop_key: 'shopee:195606082',
            shop_name: 'Hiếu Học tiếng Anh',
            owner_name: 'HIEU LE',
            name_key: 'hieu le',
            national_id: '066081499752',
            phone,
            payout_account: 'VCB:1054359863084',
            province: 'Đắk Lắk',
            address: 'thon 11 hung loi',
            period: '2025-02',
          },
        ],
        stg_cod_shipments: [parcel('A', 'nguyen van anh', phone, 'VCB:1019204413941', 'thon 10 trung hoa')],
      });
      expect(
        await db.value<string | null>(
          `select owner_name_key from int_identity_records where source_key = 'shopee:195606082'`,
        ),
      ).toBeNull();
    });
  });
});
