/**
 * A household's phone (issue 14, fph12): the registry gives it as one member's own, at the family's
 * home; three members book COD parcels on it from that home, each under their own name and paid
 * into their own accounts — one of them into a relative's. Five accounts on one phone: by its
 * spread alone a warehouse booking for its clients, which made every account on it a warehouse's and
 * left the relative's account looking like one person's (her buyer transfers on the holder's case).
 * The registry says whose the phone is, and each name keeps to a few accounts of its own, so the
 * phone is the family's, not a warehouse's (int_cod_senders.sql `own_phones`). A warehouse that
 * writes one name, its registered one, on parcels paid into many accounts stays a warehouse.
 * Hand-built deliveries as in guards-fulfilment.test.ts; every record key starts with its person.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, taxpayer } from './parcel-delivery.js';

const phone = '0911000050';
const home = '202 to hien thanh, p. tan lap';

/** `k` parcels of `person` from the family's home under `name`, paid into `account`. */
const from = (person: string, name: string, account: string, k = 3): Row[] =>
  Array.from({ length: k }, () => parcel(person, name, phone, account, home));

let t = 0;
/** A buyer's transfer into the relative's account (R holds it; the money is Q's). */
const transfer = (person: string, holder = 'le thi trinh'): Row => ({
  record_key: `${person}:b${++t}`,
  account: 'VCB:500',
  holder_name: holder,
  name_key: holder,
  national_id: '001190000099',
  booked_at: '2025-03-08 10:00:00',
  direction: 'credit',
  description: 'ck tien hang',
  description_key: 'ck tien hang',
  counterparty_account: `ACB:9${t}`,
  amount: '950000',
  tax_year: '2025',
});

describe("a household's phone", () => {
  // the household of Quang, Sơn and Nam, Quang paid into his relative Trinh's account: once with common
  // surnames (fph12), once with Mai, which also begins shop names (pn12: the registry and the bank know
  // these names as people's, so the phone and the account are found shared)
  it.each([
    ['tran', 'le thi trinh', 'its members each paid their own way make it no warehouse: the relative account serves Q'],
    [
      'mai',
      'mai dieu trinh',
      'so with a surname that also begins shop names (Mai): registry and bank know them as people',
    ],
  ])('%s: %s — %s', async (surname, holder) => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [taxpayer('Q', `${surname} quoc quang`, '001190000001', phone, home)],
        stg_bank_transactions: [transfer('Q', holder), transfer('Q', holder), transfer('Q', holder)],
        stg_cod_shipments: [
          ...from('Q', `${surname} quoc quang`, 'VCB:500'),
          ...from('S', `${surname} quoc son`, 'MB:200'),
          ...from('S', `${surname} quoc son`, 'MB:201'),
          ...from('N', `${surname} van nam`, 'ICB:300'),
          ...from('N', `${surname} van nam`, 'ICB:301'),
        ],
      });
      // before: five accounts on one phone, a warehouse's phone and every account on it a warehouse's
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where via_hub`)).toBe(0);
      // Q's parcels are paid into an account the bank holds for someone else: Q's buyer transfers there
      // name nobody, so they are on no one's record (not on the holder's as her own trade)
      expect(
        await db.value<number>(
          `select count(*)::int from int_record_identity where source = 'bank_transactions' and record_key like 'Q:%'`,
        ),
      ).toBe(0);
      // each member is her own seller (the phone is compared with the name on it)
      expect(await entities(db)).toEqual([['N'], ['Q'], ['S']]);
    });
  });

  it('one registered name written with many accounts is a warehouse booking for others under it', async () => {
    await withDb(async (db) => {
      const wh = 'nguyen van hung';
      await build(db, {
        stg_taxpayers: [taxpayer('W', wh, '001190000007', phone, home)],
        stg_cod_shipments: [
          ...from('A', wh, 'MB:200'),
          ...from('B', wh, 'MB:201'),
          ...from('C', wh, 'ICB:300'),
          ...from('D', wh, 'ICB:301'),
        ],
      });
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where not via_hub`)).toBe(0);
    });
  });
});

/**
 * Names written given name first (`Hiền Nguyễn`, as social-media accounts and many carriers' forms
 * write them): two words, the surname last. Before, such a name did not read as a person's, so a
 * family phone carrying one member's full name and another's given-first name was not found shared,
 * and the phone (a decisive identifier) merged the two sellers. The same name written both ways by
 * one seller stays one person.
 */
describe('names written given name first', () => {
  const phone2 = '0911000060';
  const home2 = '15 ly thuong kiet, p. 3';
  const other = '8 tran phu, p. 5';
  /** Thủy's registry record (the phone hers, at her home) and `k` parcels of `person` on the phone. */
  const registered = { stg_taxpayers: [taxpayer('T', 'nguyen thi thuy', '001190000011', phone2, home2)] };
  const on = (person: string, name: string, account: string, k: number, address = home2): Row[] =>
    Array.from({ length: k }, () => parcel(person, name, phone2, account, address));

  it("a relative's given-first name on the household's phone is another person", async () => {
    await withDb(async (db) => {
      await build(db, {
        // Hiền, Thủy's relative, books on Thủy's phone from her own house under `hien nguyen` and her
        // shop's name, paid into her own account
        ...registered,
        stg_cod_shipments: [
          ...on('T', 'nguyen thi thuy', 'MB:700', 3),
          ...on('H', 'hien nguyen', 'VCB:800', 4, other),
          ...on('H', 'shop hai san kho hien', 'VCB:800', 4, other),
        ],
      });
      expect(await entities(db)).toEqual([['H'], ['T']]);
    });
  });

  // A first word that begins shop names or addresses someone (`hang`, `quan`, `chi`) reads with its
  // tones where the name is written with them: `Hằng Nguyễn` is a person, `Nhà Lâm` a shop's name.
  const written = (rows: Row[], name: string): Row[] => rows.map((r) => ({ ...r, sender_name: name }));
  /** Tuấn's statement of his account MB:700 (the holder the bank knows). */
  const statement: Row[] = [1, 2].map((k) => ({
    record_key: `T:b${k}`,
    account: 'MB:700',
    holder_name: 'NGUYEN VAN TUAN',
    name_key: 'nguyen van tuan',
    national_id: '001190000011',
    booked_at: '2025-03-08 10:00:00',
    direction: 'credit',
    description_key: 'ck',
    amount: '950000',
    tax_year: '2025',
  }));
  /**
   * Tuấn's registry record, statement and parcels on his phone (`Nguyễn Văn Tuấn`), and 4 parcels of
   * `person` on the same phone from the same home, paid into Tuấn's account, under `name` written `as`.
   */
  const besideTuan = (person: string, name: string, as: string) => ({
    stg_taxpayers: [taxpayer('T', 'nguyen van tuan', '001190000011', phone2, home2)],
    stg_bank_transactions: statement,
    stg_cod_shipments: [
      ...written(on('T', 'nguyen van tuan', 'MB:700', 3), 'Nguyễn Văn Tuấn'),
      ...written(on(person, name, 'MB:700', 4), as),
    ],
  });

  it("a relative's given-first name written with its tones, on the household's phone and paid into the holder's account, is another person", async () => {
    await withDb(async (db) => {
      // Hằng books on Tuấn's phone from their home as `Hằng Nguyễn`, paid into Tuấn's account
      await build(db, besideTuan('H', 'hang nguyen', 'Hằng Nguyễn'));
      expect(await entities(db)).toEqual([['H'], ['T']]);
    });
  });

  it("a relative's given-first name whose given name is a surname too (`Lâm Nguyễn`) is another person", async () => {
    await withDb(async (db) => {
      await build(db, besideTuan('L', 'lam nguyen', 'Lâm Nguyễn'));
      expect(await entities(db)).toEqual([['L'], ['T']]);
    });
  });

  it("a shop's name beginning with such a word, written with its tones, is no person", async () => {
    await withDb(async (db) => {
      // Tuấn's own parcels under his shop's name `Nhà Lâm` on his phone (U: the shop's parcels, Tuấn's too)
      await build(db, besideTuan('U', 'nha lam', 'Nhà Lâm'));
      expect(await entities(db)).toEqual([['T', 'U']]);
    });
  });

  it('one seller writing her name both ways, paid into two accounts, stays one', async () => {
    await withDb(async (db) => {
      await build(db, {
        ...registered,
        stg_cod_shipments: [...on('T', 'nguyen thi thuy', 'MB:700', 3), ...on('T', 'thuy nguyen', 'VCB:800', 3)],
      });
      expect(await entities(db)).toEqual([['T']]);
    });
  });
});
