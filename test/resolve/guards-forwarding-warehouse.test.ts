/**
 * A fulfilment warehouse that gives its depot as the pickup place and its own account on the waybill
 * (issue 14, fwd11): its parcels carry its name (a person's, so the name rule of hub9 does not fire),
 * its phone, its account and one place, so by their spread they are one seller's. The bank shows
 * otherwise: the carrier pays the COD into the account on the waybill, and the warehouse passes each
 * client's share on to the client's own account — credits in two other people's statements naming
 * that account as counterparty. An account passing COD money on to two holders or more collects for
 * others, so the phone booking the parcels paid into it books for others (int_cod_senders.sql
 * `forwarding_accounts`). Hand-built deliveries as in guards-fulfilment.test.ts; every record key
 * starts with its person (`A:…`).
 */
import { describe, expect, it } from 'vitest';
import { runModels } from '../../engine/warehouse/pipeline.js';
import { withDb } from './fixtures.js';
import { build, entities, parcel, type Row, unattributed } from './parcel-delivery.js';

const wh = { name: 'nguyen van hung', phone: '0900000077', account: 'TPB:777', depot: '5 quoc lo 1a, p. 9' };

/** `k` parcels the warehouse books for `person` from its depot, paid into its own account. */
const booked = (person: string, k: number): Row[] =>
  Array.from({ length: k }, () => parcel(person, wh.name, wh.phone, wh.account, wh.depot));

let t = 0;
/** A credit into `person`'s account `account` from `from` (a forward of COD cash, or a family transfer). */
const credit = (person: string, nid: string, account: string, from: string): Row => ({
  record_key: `${person}:b${++t}`,
  account,
  holder_name: person === 'A' ? 'tran thi an' : person === 'B' ? 'le thi binh' : 'pham thi cuc',
  name_key: person === 'A' ? 'tran thi an' : person === 'B' ? 'le thi binh' : 'pham thi cuc',
  national_id: nid,
  booked_at: '2025-03-08 10:00:00',
  direction: 'credit',
  description: 'chuyen tien',
  description_key: 'chuyen tien',
  counterparty_account: from,
  amount: '950000',
  tax_year: '2025',
});

describe('a warehouse forwarding its clients their COD cash', () => {
  it('its account passes money on to two clients: its depot parcels are not one seller, they stay unattributed', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_bank_transactions: [
          credit('A', '001190000001', 'VCB:100', wh.account),
          credit('A', '001190000001', 'VCB:100', wh.account),
          credit('B', '001190000002', 'ACB:200', wh.account),
        ],
        stg_cod_shipments: [...booked('A', 4), ...booked('B', 4)],
      });
      expect(
        await db.value<string>(`select string_agg(distinct hub_account, ',') from int_cod_senders where via_hub`),
      ).toBe(wh.account);
      // before: one sender profile of the 8 parcels, an entity holding A's and B's
      expect(await entities(db)).toEqual([['A'], ['B']]);
      expect(await unattributed(db)).toEqual({ A: 4, B: 4 });
      // the clients' credits from its account are their COD cash passed on, not buyers paying them
      await runModels(db, (m) => m.name === 'int_bank_credits_classified');
      expect(
        await db.value<string>(`select string_agg(distinct credit_class, ',') from int_bank_credits_classified`),
      ).toBe('carrier_remittance');
    });
  });

  it("a marketplace's collection account paying out its sellers makes none of them a warehouse", async () => {
    await withDb(async (db) => {
      // each seller books her own parcels, under her own phone, paid into the platform's account
      const seller = (p: string, name: string, phone: string, home: string): Row[] =>
        Array.from({ length: 3 }, () => parcel(p, name, phone, 'VCB:999', home));
      await build(db, {
        stg_bank_transactions: [
          credit('A', '001190000001', 'VCB:100', 'VCB:999'),
          credit('B', '001190000002', 'ACB:200', 'VCB:999'),
          credit('C', '001190000003', 'ACB:300', 'VCB:999'),
        ],
        stg_cod_shipments: [
          ...seller('A', 'tran thi an', '0911000001', '10 le loi, p. 1'),
          ...seller('B', 'le thi binh', '0911000002', '22 tran phu, p. 3'),
          ...seller('C', 'pham thi cuc', '0911000003', '7 hang bac, p. 2'),
        ],
      });
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where via_hub`)).toBe(0);
      expect(await unattributed(db)).toEqual({});
    });
  });

  it('a seller whose account pays one other person (her mother) stays a seller', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_bank_transactions: [credit('C', '001190000003', 'ACB:300', 'TPB:888')],
        stg_cod_shipments: Array.from({ length: 6 }, () =>
          parcel('A', 'tran thi an', '0911000001', 'TPB:888', '10 le loi, p. 1'),
        ),
      });
      expect(await db.value<number>(`select count(*)::int from int_cod_senders where via_hub`)).toBe(0);
      expect(await unattributed(db)).toEqual({});
      await runModels(db, (m) => m.name === 'int_bank_credits_classified');
      expect(
        await db.value<string>(`select string_agg(distinct credit_class, ',') from int_bank_credits_classified`),
      ).toBe('trade');
    });
  });
});
