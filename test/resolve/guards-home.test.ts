/**
 * A name at an address (issue 14, home52): a seller who books parcels at her home under her own
 * name, on a number she took after the one her registry record gives, shares with that record her
 * name, province and address and nothing else: the link was cut as weak, and her parcels made a
 * second seller. A name at an address few names are seen at is one person's (default-spec.ts
 * `homeGuard`); at a post office, where many senders hand in parcels, two namesakes meet and the
 * pair says nothing. Hand-built deliveries as in guards-fulfilment.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Row } from './parcel-delivery.js';

const home = '592 nguyen du, phuong phu loi';
const postOffice = 'buu cuc 31 le van luong, q. thanh xuan';

const parcels = (person: string, name: string, phone: string, address: string, count = 3): Row[] =>
  Array.from({ length: count }, () => parcel(person, name, phone, null, address));

describe('a name at an address', () => {
  it('a seller booking at her home on a new number is the registered seller', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [taxpayer('A', 'tran quynh huong', '001190012345', '0901111111', home)],
        stg_cod_shipments: [
          ...parcels('A', 'tran quynh huong', '0350795673', home),
          // others in the delivery, so that names and places have frequencies
          ...parcels('B', 'le van binh', '0912222222', '14 hang bac, p. hang dao'),
          ...parcels('C', 'pham thi cuc', '0913333333', '7 ly thuong kiet, p. tran hung dao'),
        ],
      });
      expect(await entities(db)).toEqual([['A'], ['B'], ['C']]);
    });
  });

  it('two namesakes handing parcels in at one post office are two people', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_cod_shipments: [
          ...parcels('A', 'nguyen van hung', '0351111111', postOffice),
          ...parcels('B', 'nguyen van hung', '0352222222', postOffice),
          ...parcels('C', 'le thi mai', '0353333333', postOffice),
          ...parcels('D', 'tran van nam', '0354444444', postOffice),
          ...parcels('E', 'do thi lan', '0355555555', postOffice),
        ],
      });
      expect(await entities(db)).toEqual([['A'], ['B'], ['C'], ['D'], ['E']]);
    });
  });
});
