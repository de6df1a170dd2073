/**
 * A re-issued phone number (issue 14, rph22): carriers give a number its owner dropped to someone
 * else some weeks later. A seller in Vĩnh Long books parcels on it until April; from June a seller in
 * Hà Nội books on it under another name. Nothing else on their parcels names them (no account on
 * the waybill), so the phone alone made them one person. A phone whose uses
 * fall into two spans a month or more apart, sharing no name and no pickup place, changed hands: it
 * links each name's own records and none to the other's (int_identity_records.sql `reissued_phones`).
 * A seller who renames her shop after a pause, at her home, or who moves and writes her own name
 * from then on, keeps her phone. Hand-built deliveries as in guards-fulfilment.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row } from './parcel-delivery.js';

const phone = '0372030771';

/** Parcels of `person` under `name` on the phone, one a month from `from` to `to` (months of 2025). */
const monthly = (person: string, name: string, from: number, to: number, address: string, province: string): Row[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    ...parcel(person, name, phone, null, address, province),
    picked_up_on: `2025-${String(from + i).padStart(2, '0')}-15`,
  }));

describe('a re-issued phone number', () => {
  it('two sellers on one number months apart, in other places and names, are two people', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_cod_shipments: [
          ...monthly('T', 'nail nha toan', 1, 4, '12 ap long hung, xa long phuoc', 'Vĩnh Long'),
          ...monthly('H', 'shop ca phe hung 99', 6, 12, '561/8/2 hai ba trung, p. hoa khanh', 'Hà Nội'),
        ],
      });
      expect(await entities(db)).toEqual([['H'], ['T']]);
    });
  });

  it.each([
    [
      'renames her shop after two months without parcels, at her home',
      'toan nail spa',
      7,
      '12 ap long hung, xa long phuoc',
      'Vĩnh Long',
    ],
    ['moves and writes her own name from that month on', 'nguyen duy toan', 4, '40 tran hung dao, p. 5', 'Cần Thơ'],
  ])('one seller who %s keeps her phone', async (_, later, from, address, province) => {
    await withDb(async (db) => {
      await build(db, {
        stg_cod_shipments: [
          ...monthly('T', 'nail nha toan', 1, 4, '12 ap long hung, xa long phuoc', 'Vĩnh Long'),
          ...monthly('T', String(later), Number(from), 12, String(address), String(province)),
        ],
      });
      expect(await entities(db)).toEqual([['T']]);
    });
  });
});
