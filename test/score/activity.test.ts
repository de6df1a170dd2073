import { describe, expect, it } from 'vitest';
import { rulesForYear, taxDue } from '../../engine/config/tax-rules.js';
import { estimateActivity, groupFromWords, rateBasisText } from '../../engine/score/activity.js';
import { deriveAmounts } from '../../engine/score/gap.js';
import { scoreEntities } from '../../engine/score/score.js';
import type { FeatureBatch } from '../../engine/score/types.js';

const rules = rulesForYear(2025);
const M = 1_000_000;

interface Seller {
  registered?: number;
  group?: string | null;
  province?: string | null;
  /** channels: m marketplace, c COD, w website, b bank */
  via?: string;
  withheld_rate?: number;
  words?: Record<string, number>;
  terms?: string;
  /** a registered taxpayer it may be: its registry group and the weight */
  candidate?: [string, number];
  revenue?: number;
  /** trade credits in the bank (the words' `bank` counts are among them) */
  credits?: number;
  declared?: number;
}

const wordCols = ['names', 'bank', 'service_sites'].concat(
  ...['goods', 'services', 'production_transport', 'property_lease', 'other'].map((g) => [`names_${g}`, `bank_${g}`]),
);

function batchOf(sellers: Seller[]): { batch: FeatureBatch; provinces: (string | null)[] } {
  const n = sellers.length;
  const col = (f: (s: Seller) => number) => Float64Array.from(sellers.map(f));
  const rev = (s: Seller) => s.revenue ?? 800 * M;
  const share = (s: Seller, ch: string) => ((s.via ?? 'b').includes(ch) ? rev(s) / (s.via ?? 'b').length : 0);
  const cols: Record<string, Float64Array> = {
    registered: col((s) => s.registered ?? 0),
    observed_revenue: col(rev),
    declared_revenue: col((s) => s.declared ?? 0),
    gmv_withheld: col(() => 0),
    tax_paid: col(() => 0),
    tax_withheld: col(() => 0),
    withheld_rate: col((s) => s.withheld_rate ?? NaN),
    platform_gmv: col((s) => share(s, 'm')),
    cod_sales: col((s) => share(s, 'c')),
    bank_trade: col((s) => share(s, 'b')),
    websites: col((s) => ((s.via ?? 'b').includes('w') ? 1 : 0)),
    registry_candidate_weight: col((s) => s.candidate?.[1] ?? 0),
  };
  // what the rules read besides, all 0
  for (const f of ['returns', 'returns_prev', 'months_active', 'identity_records', 'cod_parcels', 'distinct_payers'])
    cols[f] = col(() => 0);
  for (const f of ['distinct_names', 'national_ids', 'shops', 'platform_months']) cols[f] = col(() => 0);
  cols.bank_trade_credits = col((s) => s.credits ?? 0);
  for (const w of wordCols) cols[w === 'service_sites' ? w : `words_${w}`] = col((s) => s.words?.[w] ?? 0);
  return {
    batch: {
      n,
      cols,
      activityGroup: sellers.map((s) => s.group ?? (null as unknown as string)),
      text: {
        activity_terms: sellers.map((s) => s.terms ?? null),
        candidate_activity_group: sellers.map((s) => s.candidate?.[0] ?? null),
      },
    },
    provinces: sellers.map((s) => (s.province === undefined ? 'Khánh Hòa' : s.province)),
  };
}

/** `k` registered sellers of `group` with the given channels and province. */
const registered = (k: number, group: string, over: Seller = {}): Seller[] =>
  Array.from({ length: k }, () => ({ registered: 1, group, ...over }));

describe('groupFromWords', () => {
  it.each([
    { counts: { names: 1, names_services: 1 }, expected: 'services' },
    { counts: { bank: 5, bank_goods: 5 }, expected: 'goods' },
    // one stray word among the transfers is not a trade (share of at least 3 credits)
    { counts: { bank: 1, bank_services: 1 }, expected: undefined },
    // names say services, transfers say goods: nothing clear
    { counts: { names: 1, names_services: 1, bank: 10, bank_goods: 10 }, expected: undefined },
    { counts: { service_sites: 1 }, expected: 'services' },
    { counts: {}, expected: undefined },
  ])('$counts → $expected', ({ counts, expected }) => {
    expect(groupFromWords((k) => (counts as Record<string, number>)[k] ?? 0)).toBe(expected);
  });
});

describe('estimateActivity: evidence strongest first, then the mix of registered sellers', () => {
  const services = { names: 1, names_services: 1 };

  it('a withheld rate outvotes the registry and the words', () => {
    const { batch, provinces } = batchOf([
      { registered: 1, group: 'goods', withheld_rate: 0.07, words: { names: 1, names_goods: 1 } },
      { withheld_rate: 0.045, words: services },
    ]);
    const a = estimateActivity(batch, rules, provinces);
    expect(a.basis.map((b) => [b.source, b.group])).toEqual([
      ['withholding', 'services'],
      ['withholding', 'production_transport'],
    ]);
  });

  it('the registry outvotes the words; words name the group when no registered seller says otherwise', () => {
    const { batch, provinces } = batchOf([
      { registered: 1, group: 'goods', words: services },
      { words: services, terms: 'goods:áo|services:spa' },
    ]);
    const a = estimateActivity(batch, rules, provinces);
    expect(a.basis[0]).toMatchObject({ source: 'registry', group: 'goods' });
    expect(a.basis[1]).toMatchObject({ source: 'words', group: 'services', terms: ['spa'] });
    expect(a.rate[1]).toBeCloseTo(0.07);
  });

  it('reads words through what registered sellers with the same words trade in', () => {
    // 40 registered sellers whose names say services: 30 registered services, 10 goods
    const sellers = [
      ...registered(30, 'services', { words: services }),
      ...registered(10, 'goods', { words: services }),
      { words: services, terms: 'services:spa' },
    ];
    const { batch, provinces } = batchOf(sellers);
    const a = estimateActivity(batch, rules, provinces);
    const b = a.basis[40]!;
    expect(rateBasisText(b, { rate: a.rate[40]!, lo: a.rateMin[40]!, hi: a.rateMax[40]! }, rules, 'vi')).toBe(
      'thuế suất ước tính 5,6 %: tên hoặc nội dung chuyển khoản chỉ nhóm dịch vụ (spa); 75 % người bán qua ' +
        'chuyển khoản có từ ngữ như vậy đã đăng ký kinh doanh dịch vụ, 25 % hàng hóa ' +
        '(40 người bán tại Khánh Hòa; từ 1,5 % đến 7 %)',
    );
    expect(b.source).toBe('words');
    expect(b.mix?.shares.services).toBeCloseTo(0.75);
    expect(a.rate[40]).toBeCloseTo(0.75 * 0.07 + 0.25 * 0.015);
  });

  it('learns the mix by channel profile, in the province when the group is large enough', () => {
    const sellers = [
      // website + bank sellers in Khánh Hòa: 8 services of 32
      ...registered(8, 'services', { via: 'wb' }),
      ...registered(24, 'goods', { via: 'wb' }),
      // elsewhere, website + bank: all goods (30)
      ...registered(30, 'goods', { via: 'wb', province: 'Hà Nội' }),
      // marketplace sellers: 30 goods
      ...registered(30, 'goods', { via: 'm', province: 'Hà Nội' }),
      { via: 'wb' }, // 92: Khánh Hòa website seller → province mix
      { via: 'wb', province: 'Huế' }, // 93: no Huế group → national website mix (8 of 62)
      { via: 'c', province: 'Huế' }, // 94: no COD group → every registered seller (8 of 92)
      { via: 'wb', province: 'Hà Nội' }, // 95: exactly the minimum (30) in Hà Nội → province mix
    ];
    const { batch, provinces } = batchOf(sellers);
    const a = estimateActivity(batch, rules, provinces, { method: 'mix', minGroupSize: 30 });
    expect(a.basis[92]).toMatchObject({ source: 'mix', group: 'goods' });
    expect(a.basis[92]!.mix).toMatchObject({
      level: 'province',
      province: 'Khánh Hòa',
      n: 32,
      channels: ['website', 'bank'],
    });
    expect(a.rate[92]).toBeCloseTo(0.25 * 0.07 + 0.75 * 0.015);
    expect([a.rateMin[92], a.rateMax[92]]).toEqual([0.015, 0.07]);
    expect(a.basis[93]!.mix).toMatchObject({ level: 'national', n: 62 });
    expect(a.basis[94]!.mix).toMatchObject({ level: 'all', n: 92 });
    expect(a.rate[94]).toBeCloseTo((8 / 92) * 0.07 + (84 / 92) * 0.015);
    expect(a.basis[95]!.mix).toMatchObject({ level: 'province', province: 'Hà Nội', n: 30 });
  });

  it('falls back to the goods rate with fewer registered sellers than the minimum, and under method goods', () => {
    const sellers = [...registered(29, 'services'), {}];
    const { batch, provinces } = batchOf(sellers);
    expect(estimateActivity(batch, rules, provinces, { method: 'mix', minGroupSize: 30 }).basis[29]).toEqual({
      source: 'default',
      group: 'goods',
    });
    expect(estimateActivity(batch, rules, provinces, { method: 'mix', minGroupSize: 29 }).basis[29]!.source).toBe(
      'mix',
    );
    const goods = estimateActivity(
      batchOf([...registered(40, 'services'), { words: services }]).batch,
      rules,
      provinces,
      {
        method: 'goods',
        minGroupSize: 30,
      },
    );
    expect(goods.basis[40]).toEqual({ source: 'default', group: 'goods' });
  });

  it('counts the registry group of a registered taxpayer the seller may be, in proportion to its weight', () => {
    const sellers: Seller[] = [
      ...registered(30, 'services'),
      {},
      { candidate: ['goods', 0.9] },
      { candidate: ['goods', 0.9], withheld_rate: 0.07 },
    ];
    const { batch, provinces } = batchOf(sellers);
    const a = estimateActivity(batch, rules, provinces);
    expect(a.basis[30]!.source).toBe('mix');
    expect(a.rate[30]).toBeCloseTo(0.07);
    expect(a.basis[31]).toMatchObject({
      source: 'candidate',
      group: 'goods',
      candidate: { group: 'goods', weight: 0.9 },
    });
    expect(a.rate[31]).toBeCloseTo(0.9 * 0.015 + 0.1 * 0.07);
    expect(
      rateBasisText(a.basis[31]!, { rate: a.rate[31]!, lo: a.rateMin[31]!, hi: a.rateMax[31]! }, rules, 'vi'),
    ).toMatch(
      /^thuế suất ước tính 2,1 %: 90 % theo người nộp thuế có thể trùng \(đăng ký nhóm hàng hóa\), phần còn lại: /,
    );
    // a withheld rate still outvotes it
    expect(a.basis[32]).toMatchObject({ source: 'withholding', group: 'services' });
  });

  it('learns only from active registered sellers with revenue seen', () => {
    const sellers = [
      ...registered(30, 'services', { registered: 0 }), // a registry group but not active: not learned from
      ...registered(30, 'goods'),
      {},
    ];
    const { batch, provinces } = batchOf(sellers);
    const a = estimateActivity(batch, rules, provinces);
    expect(a.basis[60]!.mix?.shares).toMatchObject({ goods: 1, services: 0 });
  });
});

describe("a registered seller whose buyers' transfers name a dearer group (rate30)", () => {
  // 30 of 40 trade credits say rent, into the account of a household registered for goods
  const rent = { bank: 32, bank_property_lease: 30, bank_goods: 2 };
  const seller = (over: Seller = {}): Seller => ({
    registered: 1,
    group: 'goods',
    credits: 40,
    words: rent,
    terms: 'goods:áo|property_lease:thuê nhà|property_lease:tiền phòng',
    ...over,
  });

  it("prices the transfers' share of the revenue at the group they name, the rest at the registry's", () => {
    const { batch, provinces } = batchOf([seller(), seller({ via: 'bm' })]);
    const a = estimateActivity(batch, rules, provinces);
    expect(a.basis[0]).toMatchObject({
      source: 'transfers',
      group: 'property_lease',
      terms: ['thuê nhà', 'tiền phòng'],
      transfers: { registered: 'goods', named: 'property_lease', share: 0.75, credits: 30, of: 40 },
    });
    expect(a.rate[0]).toBeCloseTo(0.75 * 0.1 + 0.25 * 0.015);
    // half the revenue on a marketplace: the transfers name half as much of it
    expect(a.basis[1]!.transfers!.share).toBeCloseTo(0.375);
    expect(a.basis[1]!.group).toBe('goods');
    const d = deriveAmounts(batch, rules, { provinces });
    const due = 0.75 * taxDue(800 * M, 'property_lease', rules).total + 0.25 * taxDue(800 * M, 'goods', rules).total;
    expect(d.taxGap[0]).toBe(Math.round(due));
  });

  it('prices only the undeclared part so: a return filed under the registry group stands as filed', () => {
    const { batch, provinces } = batchOf([seller({ declared: 200 * M }), seller({ declared: 800 * M })]);
    const a = estimateActivity(batch, rules, provinces);
    expect(a.basis[0]!.transfers!.share).toBeCloseTo(0.75 * 0.75);
    expect(a.rate[0]).toBeCloseTo(0.5625 * 0.1 + 0.4375 * 0.015);
    // everything declared: nothing left for the transfers to reprice
    expect(a.basis[1]).toMatchObject({ source: 'registry', group: 'goods' });
  });

  it.each([
    ['fewer than 12 credits name it', { credits: 10, words: { bank: 9, bank_property_lease: 9 } }],
    ['they are under a quarter of its trade credits', { credits: 200 }],
    ['another group is named nearly as often', { words: { bank: 32, bank_property_lease: 16, bank_services: 12 } }],
    [
      'the named group is not dearer than the registry group',
      { group: 'property_lease', words: { bank: 30, bank_services: 30 } },
    ],
    ['no bank trade is seen', { via: 'm' }],
  ])('keeps the registry group when %s', (_, over) => {
    const { batch, provinces } = batchOf([seller(over)]);
    expect(estimateActivity(batch, rules, provinces).basis[0]).toMatchObject({ source: 'registry' });
  });

  it('keeps the registry group under method goods (the engine before)', () => {
    const { batch, provinces } = batchOf([seller()]);
    const a = estimateActivity(batch, rules, provinces, { method: 'goods', minGroupSize: 30 });
    expect(a.basis[0]).toMatchObject({ source: 'registry', group: 'goods' });
  });

  it("says so as a reason, in Vietnamese and in English, and learns the mix from the registry's group", () => {
    const sellers = [seller(), ...registered(30, 'goods', { words: rent, credits: 40 }), { words: rent, credits: 40 }];
    const { batch, provinces } = batchOf(sellers);
    const vi = scoreEntities(batch, { rules, lang: 'vi', provinces });
    expect(vi.reasonCodes[0]).toContain('TRANSFERS_NAME_DEARER_GROUP');
    expect(vi.reasons[0]!.at(-1)).toBe(
      'thuế suất ước tính 7,9 %: đăng ký nhóm hàng hóa nhưng 30/40 khoản chuyển khoản bán hàng ghi cho thuê tài ' +
        'sản (thuê nhà, tiền phòng): 75 % doanh thu (phần chưa kê khai các khoản này chiếm) tính theo nhóm cho thuê ' +
        'tài sản, phần còn lại theo nhóm đã đăng ký',
    );
    const en = scoreEntities(batch, { rules, lang: 'en', provinces });
    expect(en.reasons[0]!.at(-1)).toBe(
      "estimated tax rate 7.9 %: registered as goods, but 30 of 40 buyers' transfers name property lease (thuê nhà, " +
        'tiền phòng): 75 % of the revenue (the undeclared part they make up) priced as property lease, the rest as ' +
        'registered',
    );
    // 31 registered sellers with these words registered goods: the unregistered one is read as goods
    expect(vi.derived.basis[31]).toMatchObject({ source: 'words' });
    expect(vi.derived.basis[31]!.mix!.shares.goods).toBe(1);
  });
});

describe('the expected tax and what the analyst reads', () => {
  const sellers = [
    ...registered(8, 'services', { via: 'w' }),
    ...registered(24, 'goods', { via: 'w' }),
    { via: 'w', revenue: 1_460 * M },
  ];
  const { batch, provinces } = batchOf(sellers);

  it('tax due = Σ share × tax due at each group', () => {
    const d = deriveAmounts(batch, rules, { provinces });
    const expected = 0.25 * taxDue(1_460 * M, 'services', rules).total + 0.75 * taxDue(1_460 * M, 'goods', rules).total;
    expect(d.taxDue[32]).toBe(Math.round(expected));
    expect(d.taxGap[32]).toBe(Math.round(expected));
    // the engine before: the goods rate
    const before = deriveAmounts(batch, rules, { provinces, activity: { method: 'goods', minGroupSize: 30 } });
    expect(before.taxDue[32]).toBe(taxDue(1_460 * M, 'goods', rules).total);
  });

  it('says the rate, its basis and range in Vietnamese (vi-VN numbers) and in English', () => {
    const a = estimateActivity(batch, rules, provinces);
    const r = { rate: a.rate[32]!, lo: a.rateMin[32]!, hi: a.rateMax[32]! };
    expect(rateBasisText(a.basis[32]!, r, rules, 'vi')).toBe(
      'thuế suất ước tính 2,9 %: 25 % người bán qua website đã đăng ký kinh doanh dịch vụ, 75 % hàng hóa ' +
        '(32 người bán tại Khánh Hòa; từ 1,5 % đến 7 %)',
    );
    expect(rateBasisText(a.basis[32]!, r, rules, 'en')).toBe(
      'estimated tax rate 2.9 %: 25 % of registered sellers selling via website trade in services, 75 % goods ' +
        '(32 sellers in Khánh Hòa; from 1.5 % to 7 %)',
    );
  });

  it('adds the basis as a reason of an estimated case, and never for a registered group', () => {
    const s = scoreEntities(batch, { rules, lang: 'vi', provinces });
    expect(s.reasonCodes[32]).toContain('ESTIMATED_TAX_RATE');
    expect(s.reasons[32]!.at(-1)).toMatch(/^thuế suất ước tính 2,9 %/);
    expect(s.reasonCodes[0]).not.toContain('ESTIMATED_TAX_RATE');
  });

  it('is deterministic: the same batch gives the same rates and texts', () => {
    const a = scoreEntities(batch, { rules, lang: 'vi', provinces });
    const b = scoreEntities(batch, { rules, lang: 'vi', provinces });
    expect(Array.from(b.derived.rate)).toEqual(Array.from(a.derived.rate));
    expect(b.reasons).toEqual(a.reasons);
  });
});
