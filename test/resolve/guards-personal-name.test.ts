/**
 * A family phone read as one person's because one of the two names on it did not read as a person's
 * (issue 14, pn54). On the independent all-s21 world `Trần Minh Hương` (registered with her national
 * ID) and her relative `Vương Thị Vy` (registered as a household business under a 10-digit tax code,
 * no national ID) gave the registry one phone: Vương is no surname of the list and the registry
 * knows no ID of hers, so the phone carried one person, stayed decisive, and the two sellers became
 * one entity (307 rows of one on the other's case, 0.6 points of the world's pairwise precision).
 * Vương is a surname now, and so are Cù, Nông, Bạch … (also shop words untoned) before Văn / Thị: two
 * people on the phone, which then links each one's own records only.
 * Hand-built deliveries as in guards-family-phone.test.ts; every record key starts with its person.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, taxpayer } from './parcel-delivery.js';

const phone = '0893000054';
const homeH = '14 nguyen trai, p. ben thanh';
const homeV = '88 le loi, p. dien bien';

/** The relative's registry row: a household business's 10-digit tax code, no national ID. */
const business = (person: string, name: string, address: string): Row => ({
  ...taxpayer(person, name, '', phone, address),
  national_id: null,
  tax_id: '0101234567',
});

describe('two people registered with one phone', () => {
  it.each([
    ['vuong thi vy', 'Vương, a surname of the list'],
    ['cu thi vy', 'Cù, a surname that is also a shop word (củ), before Thị'],
    ['vuong minh vy', 'Vương without a middle name'],
  ])('%s (%s) and Trần Minh Hương stay two sellers', async (name) => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [taxpayer('H', 'tran minh huong', '079190000054', phone, homeH), business('V', name, homeV)],
        stg_cod_shipments: [
          ...Array.from({ length: 3 }, () => parcel('H', 'tran minh huong', phone, 'MB:700', homeH)),
          ...Array.from({ length: 3 }, () => parcel('V', name, phone, 'TCB:800', homeV)),
        ],
      });
      expect(await entities(db)).toEqual([['H'], ['V']]);
    });
  });
});

/**
 * A relative's name read as a spelling of the account holder's (issue 14, pn54). On the independent
 * new4-s22 world `Lê Anh Tuấn` sent his parcels into his relative `Lê Thanh Anh`'s account: the two
 * names sorted (`anh le tuan`, `anh le thanh`) share their first seven letters, which Jaro–Winkler
 * rewards (0.948 ≥ 0.94), so he read as a spelling of the holder, the account carried one person and
 * the two sellers became one entity (381 of her rows on his case). Sorted names are a spelling only
 * one letter apart; a clerk's reordering with one letter swapped still is.
 */
describe("names on a relative's account", () => {
  const account = 'VCB:5400';
  const holderLines = [1, 2].map(
    (i): Row => ({
      record_key: `A:b${i}`,
      account,
      holder_name: 'LE THANH ANH',
      name_key: 'le thanh anh',
      national_id: '068164998254',
      booked_at: '2025-03-01',
      direction: 'credit',
      description_key: 'luong thang 3',
    }),
  );
  const parcels = (person: string, name: string, phone: string | null) =>
    Array.from({ length: 3 }, () => parcel(person, name, phone, account, '9 ap my phuoc'));

  it("Lê Anh Tuấn's parcels into Lê Thanh Anh's account are not hers", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_bank_transactions: holderLines,
        stg_cod_shipments: [
          ...parcels('A', 'le thanh anh', '0967000054'),
          ...parcels('T', 'le anh tuan', '0776000054'),
        ],
      });
      expect((await entities(db)).filter((e) => e.includes('T'))).toEqual([['T']]);
    });
  });

  it("the holder's name reordered with two letters swapped (`tran thu hnag thi`) is still the holder", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_bank_transactions: holderLines.map((r) => ({
          ...r,
          holder_name: 'TRAN THI THU HANG',
          name_key: 'tran thi thu hang',
        })),
        stg_cod_shipments: [
          ...parcels('A', 'tran thi thu hang', '0967000055'),
          ...parcels('A', 'tran thu hnag thi', null),
        ],
      });
      expect(await entities(db)).toEqual([['A']]);
    });
  });
});
