/**
 * An ID typed with a digit wrong on one statement line or one month of a shop (issue 14, vote46):
 * an account has one holder and a shop one owner, so the national ID / tax code on most of its
 * lines or periods stands for it (ties: the latest's), not the latest line's
 * (int_identity_records.sql `holder_id_votes`, `shop_id_votes`). Taken from the latest line, a typo
 * there stood for the whole account: the account left its holder, and the holder's own shop paid
 * into it looked like one on borrowed papers. Hand-built deliveries as in guards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../engine/warehouse/db.js';
import { withDb } from './fixtures.js';
import { build, entities, taxpayer, type Row } from './parcel-delivery.js';

const nid = '001190000001';
const typo = '001190000010'; // the last two digits swapped

let n = 0;
const line = (person: string, id: string | null, bookedAt: string): Row => ({
  record_key: `${person}:b${++n}`,
  account: 'VCB:1001',
  holder_name: 'NGUYEN VAN AN',
  name_key: 'nguyen van an',
  national_id: id,
  booked_at: bookedAt,
  direction: 'credit',
  description_key: 'shopee thanh toan doanh thu',
});

const shop = (person: string, period: string, id: string): Row => ({
  record_key: `${person}:shopee:7001:${period}`,
  shop_key: 'shopee:7001',
  shop_name: 'Nhà An',
  owner_name: 'Nguyễn Văn An',
  name_key: 'nguyen van an',
  national_id: id,
  payout_account: 'VCB:1001',
  province: 'Hà Nội',
  address: '10 le loi, p. 1',
  period,
});

/** The national ID the identity record of the one account (or shop) of a delivery carries. */
const idOf = (db: Db, source: 'bank_transactions' | 'platform_sellers') =>
  db.value<string>(`select national_id from int_identity_records where source = '${source}'`);

const registry = (): Row[] => [taxpayer('A', 'nguyen van an', nid, '0912345678', '10 Lê Lợi, Phường 1')];

describe('an ID with a typo on the latest line or month does not stand for the account or the shop', () => {
  it("the account's holder is the ID on most of its lines: the holder's shop paid into it stays the holder's", async () => {
    await withDb(async (db) => {
      const lines = [
        line('A', nid, '2025-02-01'),
        line('A', nid, '2025-04-01'),
        line('A', nid, '2025-06-01'),
        line('A', null, '2025-08-01'),
        line('A', typo, '2025-12-01'), // the latest line, one typo
      ];
      await build(db, {
        stg_taxpayers: registry(),
        stg_platform_sellers: [shop('A', '2025-05', nid), shop('A', '2025-06', nid)],
        stg_bank_transactions: lines,
      });
      expect(await idOf(db, 'bank_transactions')).toBe(nid);
      expect(
        await db.value<boolean>(`select nominee from int_identity_records where source = 'platform_sellers'`),
      ).toBe(false);
      expect(await entities(db)).toEqual([['A']]);
    });
  });

  it("the shop's owner is the ID of most of its months, not of the latest month", async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: registry(),
        stg_platform_sellers: [shop('A', '2025-03', nid), shop('A', '2025-04', nid), shop('A', '2025-05', typo)],
      });
      expect(await idOf(db, 'platform_sellers')).toBe(nid);
      expect(await entities(db)).toEqual([['A']]);
    });
  });

  it('no ID on the lines, the old tax code on most and the 12-digit personal one since the move: that one is the ID', async () => {
    await withDb(async (db) => {
      const code = (id: string | null, tax: string, at: string) => ({ ...line('A', id, at), tax_id: tax });
      await build(db, {
        stg_bank_transactions: [
          code(null, '8012345678', '2025-02-01'),
          code(null, '8012345678', '2025-04-01'),
          code(null, '8012345678', '2025-06-01'),
          code(null, nid, '2025-09-01'),
        ],
      });
      const r = await db.one<{ national_id: string; tax_id: string }>(
        `select national_id, tax_id from int_identity_records where source = 'bank_transactions'`,
      );
      expect(r).toEqual({ national_id: nid, tax_id: '8012345678' });
    });
  });

  it('two IDs as often as each other: the latest stands, as before', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_bank_transactions: [line('A', typo, '2025-02-01'), line('A', nid, '2025-06-01')],
      });
      expect(await idOf(db, 'bank_transactions')).toBe(nid);
    });
  });
});
