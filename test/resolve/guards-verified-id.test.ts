/**
 * A national ID the registry or a bank verified is one person's (issue 14, kyc53): a household
 * business registered under its trade name (`HKD Tổng kho gia dụng`) and its owner's account, which
 * the bank holds under her own name, agree on the ID and on nothing else. The ID alone (about 20
 * bits) stayed under what a link needs against the prior and the disagreeing names, and the two
 * stood apart: her declared returns on one entity, her account's trade on another, listed "not
 * registered". The verified ID (`kyc_id`, default-spec.ts `verifiedId`) is decisive and weighs
 * nothing more; a shop or a site declaring an ID gets none, since its owner may lend their papers, and
 * an ID one typo away from another is not the same verified ID (holder_id joins those to keep people
 * apart only).
 * Hand-built deliveries as in guards-holder-ids.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { defaultIdentitySpec } from '../../engine/resolve/default-spec.js';
import { withDb } from './fixtures.js';
import { build, entities, parcel, taxpayer, type Row } from './parcel-delivery.js';

const nid = '079171351404';

let n = 0;
const line = (person: string, account: string, holder: string, id: string | null): Row => ({
  record_key: `${person}:b${++n}`,
  account,
  holder_name: holder,
  name_key: holder,
  national_id: id,
  booked_at: `2025-0${1 + (n % 9)}-11`,
  direction: 'credit',
  description_key: 'ck tien hang',
});

/**
 * The prior EM finds on a delivery of 3,000 persons (-11.5 bits, the independent world all-s21): a
 * hand-built delivery of a few records has so many matches among its pairs that any ID would merge.
 */
const spec = { ...defaultIdentitySpec, prior: { match_probability: 1 / (1 + 2 ** 11.5) } };

/** Others in the delivery, so that names and places have frequencies. */
const others = (): Row[] => [
  ...Array.from({ length: 3 }, () => parcel('B', 'le van binh', '0912222222', null, '7 ly thuong kiet, p. 2')),
  ...Array.from({ length: 3 }, () => parcel('C', 'pham thi cuc', '0913333333', null, '9 hang gai, p. 3')),
];

describe('a national ID the registry or a bank verified', () => {
  it('a household business registered under its trade name and its owner’s account are one person', async () => {
    await withDb(async (db) => {
      await build(
        db,
        {
          stg_taxpayers: [taxpayer('A', 'hkd tong kho gia dung', nid, '0389679842', '557 vo thi sau, p. 3')],
          stg_bank_transactions: [1, 2, 3].map(() => line('A', 'VCB:1040759669559', 'pham minh vy', nid)),
          stg_cod_shipments: others(),
        },
        spec,
      );
      expect(await entities(db)).toEqual([['A'], ['B'], ['C']]);
    });
  });

  it('an ID one typo away is no verified agreement: a registry entry and another name’s account stay apart', async () => {
    await withDb(async (db) => {
      await build(
        db,
        {
          stg_taxpayers: [taxpayer('A', 'hkd tong kho gia dung', nid, '0389679842', '557 vo thi sau, p. 3')],
          // the last two digits swapped: the holder IDs count it as A's to keep people apart, never to join
          stg_bank_transactions: [1, 2, 3].map(() => line('D', 'VCB:1077000000001', 'tran van duc', '079171351440')),
          stg_cod_shipments: others(),
        },
        spec,
      );
      expect(await entities(db)).toEqual([['A'], ['B'], ['C'], ['D']]);
    });
  });
});
