import { describe, expect, it } from 'vitest';
import { alignTable, pairCount, pairwiseFromCounts, rankingAtK, type RankedCase } from '../../engine/evaluate/index.js';
import { normalizeMacros } from '../../engine/evaluate/audited.js';
import { openDb } from '../../engine/warehouse/db.js';

const c = (personId: string | null, undeclared = true, trueTaxDue = 10, audited = false): RankedCase => ({
  entityId: `e-${personId}`,
  personId,
  undeclared,
  trueTaxDue,
  audited,
  control: false,
});

describe('rankingAtK', () => {
  it.each([
    { name: 'all hits', list: [c('a', true, 5), c('b', true, 3)], k: 2, hits: 2, yieldVnd: 8 },
    { name: 'compliant miss', list: [c('a', false, 0), c('b', true, 3)], k: 2, hits: 1, yieldVnd: 3 },
    { name: 'duplicate person', list: [c('a', true, 5), c('a', true, 5), c('b', true, 3)], k: 2, hits: 1, yieldVnd: 5 },
    {
      name: 'audited skipped, next takes place',
      list: [c('x', true, 50, true), c('a', true, 5), c('b', true, 3)],
      k: 2,
      hits: 2,
      yieldVnd: 8,
    },
    { name: 'unmapped miss', list: [c(null), c('b', true, 3)], k: 2, hits: 1, yieldVnd: 3 },
    { name: 'short list still divides by K', list: [c('a', true, 5)], k: 4, hits: 1, yieldVnd: 5 },
  ])('$name', ({ list, k, hits, yieldVnd }) => {
    const [at] = rankingAtK(list, [k], [5, 3, 2], 10, 0.5);
    expect(at!.hits).toBe(hits);
    expect(at!.precision).toBe(hits / k);
    expect(at!.yieldVnd).toBe(yieldVnd);
    expect(at!.yield).toBe(yieldVnd / 10);
    expect(at!.lift).toBe(hits / k / 0.5);
  });

  it.each([
    { k: 1, ceilingVnd: 5 },
    { k: 2, ceilingVnd: 8 },
    { k: 9, ceilingVnd: 10 },
  ])('ceiling at K=$k is the top-K tax due', ({ k, ceilingVnd }) => {
    expect(rankingAtK([], [k], [5, 3, 2], 10, null)[0]).toMatchObject({
      ceilingVnd,
      ceiling: ceilingVnd / 10,
      yieldToCeiling: 0,
      lift: null,
    });
  });
});

describe('pairwiseFromCounts', () => {
  it.each([
    { tp: 4, predicted: 8, truth: 10, p: 0.5, r: 0.4, f1: 4 / 9 },
    { tp: 0, predicted: 3, truth: 3, p: 0, r: 0, f1: 0 },
    { tp: 0, predicted: 0, truth: 3, p: null, r: 0, f1: null },
    { tp: 0, predicted: 2, truth: 0, p: 0, r: null, f1: null },
  ])('tp $tp / predicted $predicted / truth $truth', ({ tp, predicted, truth, p, r, f1 }) => {
    const s = pairwiseFromCounts({ truePositivePairs: tp, predictedPairs: predicted, truePairs: truth });
    expect(s.precision).toBe(p);
    expect(s.recall).toBe(r);
    if (f1 === null) expect(s.f1).toBeNull();
    else expect(s.f1).toBeCloseTo(f1, 12);
  });

  it.each([
    { n: 0, pairs: 0 },
    { n: 1, pairs: 0 },
    { n: 4, pairs: 6 },
    { n: 10_000_000, pairs: 49_999_995_000_000 },
  ])('C($n, 2) = $pairs', ({ n, pairs }) => expect(pairCount(n)).toBe(pairs));
});

describe('alignTable', () => {
  it('left-aligns the first column and right-aligns the rest', () => {
    expect(
      alignTable([
        ['K', 'hits'],
        ['100', '7'],
      ]),
    ).toBe('K    hits\n100     7');
  });
});

describe('identifier normalisation macros', () => {
  it.each([
    { fn: 'ev_tax', input: '0101234567', out: '0101234567' },
    { fn: 'ev_tax', input: ' 0101234567-001 ', out: '0101234567' },
    { fn: 'ev_tax', input: '0101234567 - 002', out: '0101234567' },
    { fn: 'ev_tax', input: '0101234567002', out: '0101234567' },
    { fn: 'ev_tax', input: '001200000001', out: '001200000001' },
    { fn: 'ev_tax', input: '', out: null },
    { fn: 'ev_phone', input: '+84 912 345 678', out: '0912345678' },
    { fn: 'ev_phone', input: '84-912-345-678', out: '0912345678' },
    { fn: 'ev_phone', input: '0912.345.678', out: '0912345678' },
    { fn: 'ev_phone', input: '(+84) 0912345678', out: '0912345678' },
    { fn: 'ev_phone', input: null, out: null },
    { fn: 'ev_nid', input: '079 2000 00008', out: '079200000008' },
    { fn: 'ev_domain', input: 'https://www.Shop-A.vn/san-pham?id=1', out: 'shop-a.vn' },
    { fn: 'ev_domain', input: 'WWW.shop-a.vn:8080', out: 'shop-a.vn' },
    { fn: 'ev_domain', input: 'shop-a.vn.', out: 'shop-a.vn' },
    { fn: 'ev_domain', input: 'com.shopa.app', out: 'com.shopa.app' },
  ])('$fn($input) = $out', async ({ fn, input, out }) => {
    const db = await openDb(':memory:');
    try {
      await db.exec(normalizeMacros);
      expect(await db.value(`select ${fn}($v::varchar)`, { v: input })).toBe(out);
    } finally {
      db.close();
    }
  });
});
