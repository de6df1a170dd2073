/**
 * A household's phone whose members' names begin with a surname that also begins shop names (issue 14,
 * pn12): Mai Quốc Quang, Mai Quốc Sơn and Mai Văn Nam book COD parcels on one family phone from their
 * home, each under their own name and paid into their own account — Quang into his relative Mai Diệu
 * Trinh's. `Mai …` not followed by Văn / Thị was never read as a person's name, so neither the phone nor
 * the account was found shared: the three were one entity and Quang's buyer transfers sat on Trinh's
 * record as her own trade. A name the registry or a bank carries with a personal national ID is a
 * person's (int_identity_records.sql `person_names`). Hand-built deliveries as in
 * guards-fulfilment.test.ts; every record key starts with its person.
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
/** A buyer's transfer into the relative's account (Trinh holds it; the money is Quang's). */
const transfer = (person: string): Row => ({
  record_key: `${person}:b${++t}`,
  account: 'VCB:500',
  holder_name: 'mai dieu trinh',
  name_key: 'mai dieu trinh',
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
  it('members named Mai …: the registry and the bank know them as people, so phone and account are shared', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [taxpayer('Q', 'mai quoc quang', '001190000001', phone, home)],
        stg_bank_transactions: [transfer('Q'), transfer('Q'), transfer('Q')],
        stg_cod_shipments: [
          ...from('Q', 'mai quoc quang', 'VCB:500'),
          ...from('S', 'mai quoc son', 'MB:200'),
          ...from('N', 'mai van nam', 'ICB:300'),
        ],
      });
      // Quang's parcels are paid into an account the bank holds for someone else: his buyer transfers
      // there name nobody, so they are on no one's record (not on the holder's as her own trade)
      expect(
        await db.value<number>(
          `select count(*)::int from int_record_identity where source = 'bank_transactions' and record_key like 'Q:%'`,
        ),
      ).toBe(0);
      // each member is her own seller (the phone is compared with the name on it)
      expect(await entities(db)).toEqual([['N'], ['Q'], ['S']]);
    });
  });
});
