import { describe, expect, it } from 'vitest';
import { normalizeLinkSpec, type LevelSpec } from '../../engine/resolve/spec.js';
import { Binder, comparisonVectorsSql, gammaExpr, normalizeExpr } from '../../engine/resolve/sql.js';
import type { Normalizer } from '../../engine/resolve/spec.js';
import { withDb } from './fixtures.js';

/** Level index of (left, right) under a comparison [null, level, else]: 0 null, 1 the level, 2 else. */
function gammaSql(level: LevelSpec) {
  const spec = normalizeLinkSpec({
    fields: { x: {} },
    comparisons: [{ name: 'c', field: 'x', levels: [level] }],
    blocking: [{ fields: ['x'] }],
    threshold: { match_probability: 0.9 },
    clustering: { strong: { match_probability: 0.99 } },
  });
  const b = new Binder();
  const expr = gammaExpr(spec.comparisons[0]!, b);
  const side = (p: string) =>
    `(select ${p}::varchar as x, array_to_string(list_sort(string_split(${p}::varchar, ' ')), ' ') as x__sorted)`;
  return { sql: `select ${expr} as g from ${side('$lv')} l, ${side('$rv')} r`, params: b.params };
}

describe('comparison levels', () => {
  it.each<{ level: LevelSpec; l: string | null; r: string | null; g: number }>([
    { level: { kind: 'exact' }, l: 'a', r: 'a', g: 1 },
    { level: { kind: 'exact' }, l: 'a', r: 'b', g: 2 },
    { level: { kind: 'exact' }, l: null, r: 'a', g: 0 },
    { level: { kind: 'exact' }, l: 'a', r: null, g: 0 },
    { level: { kind: 'exact', word_order: 'sorted' }, l: 'van hung nguyen', r: 'nguyen van hung', g: 1 },
    { level: { kind: 'exact' }, l: 'van hung nguyen', r: 'nguyen van hung', g: 2 },
    { level: { kind: 'jaro_winkler', min: 0.9 }, l: 'nguyen van hung', r: 'nguyen van hong', g: 1 },
    { level: { kind: 'jaro_winkler', min: 0.9 }, l: 'hung', r: 'lan', g: 2 },
    {
      level: { kind: 'jaro_winkler', min: 0.9, word_order: 'either' },
      l: 'hung nguyen van',
      r: 'nguyen van hung',
      g: 1,
    },
    {
      level: { kind: 'jaro_winkler', min: 0.9, word_order: 'as_is' },
      l: 'hung nguyen van',
      r: 'nguyen van hung',
      g: 2,
    },
    { level: { kind: 'levenshtein', max: 1 }, l: 'abc', r: 'abd', g: 1 },
    { level: { kind: 'levenshtein', max: 1 }, l: 'abc', r: 'xyz', g: 2 },
    { level: { kind: 'abs_diff', max: 100 }, l: '1000', r: '1090', g: 1 },
    { level: { kind: 'abs_diff', max: 100 }, l: '1000', r: '1200', g: 2 },
    { level: { kind: 'abs_diff', max: 100 }, l: 'abc', r: '1000', g: 0 }, // unreadable: unknown, not a disagreement
    { level: { kind: 'rel_diff', max: 0.1 }, l: '1000', r: '1090', g: 1 },
    { level: { kind: 'rel_diff', max: 0.1 }, l: '1000', r: '1200', g: 2 },
    { level: { kind: 'date_diff', max_days: 7 }, l: '2026-01-01', r: '2026-01-07', g: 1 },
    { level: { kind: 'date_diff', max_days: 7 }, l: '2026-01-01', r: '2026-02-01', g: 2 },
  ])('$level.kind ($l | $r) → level $g', async ({ level, l, r, g }) => {
    await withDb(async (db) => {
      const { sql, params } = gammaSql(level);
      expect(await db.value(sql, { ...params, lv: l, rv: r })).toBe(g);
    });
  });
});

describe('normalizers', () => {
  it.each<{ how: Normalizer; raw: string; expected: string | null }>([
    { how: 'name', raw: ' Nguyễn Văn  Hùng ', expected: 'nguyen van hung' },
    { how: 'name', raw: 'ĐẶNG Thu-Trang', expected: 'dang thu trang' },
    { how: 'phone_vn', raw: '+84 912 345 678', expected: '0912345678' },
    { how: 'phone_vn', raw: '84-912-345-678', expected: '0912345678' },
    { how: 'phone_vn', raw: '0912.345.678', expected: '0912345678' },
    { how: 'phone_vn', raw: '12345', expected: null },
    { how: 'digits', raw: 'VCB 0011-22', expected: '001122' },
    { how: 'email', raw: ' Hung.NV@Gmail.com ', expected: 'hung.nv@gmail.com' },
    { how: 'domain', raw: 'https://www.Shop-Hung.vn:8080/san-pham?id=1', expected: 'shop-hung.vn' },
    { how: 'trim', raw: '   ', expected: null },
    { how: 'none', raw: 'As Is', expected: 'As Is' },
  ])('$how($raw) = $expected', async ({ how, raw, expected }) => {
    await withDb(async (db) => {
      expect(await db.value(`select ${normalizeExpr('v', how)} from (select $raw::varchar as v)`, { raw })).toBe(
        expected,
      );
    });
  });

  it('takes the first non-empty of several columns', async () => {
    await withDb(async (db) => {
      expect(
        await db.value(
          `select ${normalizeExpr(['a', 'b'], 'name')} from (select ' '::varchar as a, 'Lê Lợi'::varchar as b)`,
        ),
      ).toBe('le loi');
    });
  });

  it('joins all of several columns, or is unknown when one of them is (a name at an address)', async () => {
    await withDb(async (db) => {
      const all = (a: string | null, b: string | null) =>
        db.value(
          `select ${normalizeExpr(['a', 'b'], 'none', 'all')} from (select $a::varchar as a, $b::varchar as b)`,
          {
            a,
            b,
          },
        );
      expect(await all('tran thi mai', '12 hang bac')).toBe('tran thi mai | 12 hang bac');
      expect(await all('tran thi mai', ' ')).toBeNull();
      expect(await all(null, '12 hang bac')).toBeNull();
    });
  });
});

describe('text, number and date comparisons', () => {
  /** Level index of (l, r) under a comparison of `levels` (null first, else last), with TF-IDF stats from `corpus`. */
  async function level(
    levels: LevelSpec[],
    l: string | null,
    r: string | null,
    normalize: Normalizer = 'none',
    corpus: string[] = [],
  ) {
    const spec = normalizeLinkSpec({
      fields: { x: { normalize } },
      comparisons: [{ name: 'c', field: 'x', levels }],
      blocking: [{ fields: ['x'] }],
      threshold: { match_probability: 0.9 },
      clustering: { method: 'components' },
    });
    return withDb(async (db) => {
      const rows = [l, r, ...corpus].map((v, i) => `(${i}, ${v === null ? 'null' : `'${v.replaceAll("'", "''")}'`})`);
      await db.exec(`create table input as select * from (values ${rows.join(', ')}) t(record_id, x)`);
      const { linkRecords } = await import('../../engine/resolve/link.js');
      await linkRecords(db, { input: 'input', spec, seed: 1, keepWork: true, workPrefix: 't_' });
      const g = await db.value<number>('select g_c from t_vectors where a = 0 and b = 1');
      if (g !== undefined && g !== null) return Number(g);
      // Not a candidate pair (blocking on whole values): compute its level directly.
      const b = new Binder();
      const expr = gammaExpr(spec.comparisons[0]!, b);
      return Number(
        await db.value(`select ${expr} from t_records l, t_records r where l._rid = 0 and r._rid = 1`, b.params),
      );
    });
  }
  it.each<{ name: string; levels: LevelSpec[]; l: string | null; r: string | null; normalize?: Normalizer; g: number }>(
    [
      {
        name: 'jaccard: same words in another order',
        levels: [{ kind: 'jaccard', min: 0.99 }],
        l: 'galaxy samsung s21',
        r: 's21 samsung galaxy',
        g: 1,
      },
      { name: 'jaccard: 2 of 4 words', levels: [{ kind: 'jaccard', min: 0.5 }], l: 'a b c', r: 'a b d', g: 1 },
      { name: 'jaccard: 1 of 5 words', levels: [{ kind: 'jaccard', min: 0.5 }], l: 'a b c', r: 'a d e', g: 2 },
      {
        name: 'date_diff reads YYYYMMDD',
        levels: [{ kind: 'date_diff', max_days: 31, format: '%Y%m%d' }],
        l: '19230114',
        r: '19230201',
        g: 1,
      },
      {
        name: 'date_diff: an unreadable date is unknown',
        levels: [{ kind: 'date_diff', max_days: 31, format: '%Y%m%d' }],
        l: '19231164',
        r: '19230201',
        g: 0,
      },
      {
        name: 'date_diff: ISO by default',
        levels: [{ kind: 'date_diff', max_days: 1 }],
        l: '2024-02-28',
        r: '2024-02-29',
        g: 1,
      },
      {
        name: 'abs_diff on prices',
        levels: [{ kind: 'abs_diff', max: 1 }],
        l: '$399.00',
        r: '399',
        normalize: 'number',
        g: 1,
      },
      {
        name: 'rel_diff on dong',
        levels: [{ kind: 'rel_diff', max: 0.01 }],
        l: '1.250.000 đ',
        r: '1,250,000 VND',
        normalize: 'number',
        g: 1,
      },
      {
        name: 'a price without a number is unknown',
        levels: [{ kind: 'rel_diff', max: 0.01 }],
        l: 'liên hệ',
        r: '399',
        normalize: 'number',
        g: 0,
      },
      {
        name: 'an unparsable number is unknown, not a disagreement',
        levels: [{ kind: 'abs_diff', max: 1 }],
        l: '$399.00',
        r: '399',
        g: 0,
      },
      {
        name: 'HTML entities decoded',
        levels: [{ kind: 'exact' }],
        l: 'Tom &amp; Jerry&#39;s',
        r: 'tom & jerry’s',
        normalize: 'text',
        g: 1,
      },
    ],
  )('$name', async ({ levels, l, r, normalize, g }) => {
    expect(await level(levels, l, r, normalize)).toBe(g);
  });

  it('tfidf_cosine: a shared rare word counts for more than a shared common one', async () => {
    const corpus = ['apple iphone 13', 'apple ipad air', 'apple watch', 'apple macbook', 'apple tv'];
    const levels: LevelSpec[] = [{ kind: 'tfidf_cosine', min: 0.5 }];
    expect(await level(levels, 'apple iphone 13 pro', 'iphone 13 pro max', 'text', corpus)).toBe(1);
    expect(await level(levels, 'apple iphone 13 pro', 'apple watch series', 'text', corpus)).toBe(2);
  });
});

describe('comparison vectors: similarities computed only where no earlier level took the pair', () => {
  // Two comparisons read one Jaro–Winkler of x: `name` only after its null and exact levels,
  // `loose` right after null. Pairs: equal, close, far, word order swapped, one unknown.
  const spec = normalizeLinkSpec({
    fields: { x: {} },
    comparisons: [
      {
        name: 'name',
        field: 'x',
        levels: [
          { kind: 'null' },
          { kind: 'exact' },
          { kind: 'exact', word_order: 'sorted' },
          { kind: 'jaro_winkler', min: 0.95, word_order: 'either' },
          { kind: 'jaro_winkler', min: 0.8 },
          { kind: 'else' },
        ],
      },
      { name: 'loose', field: 'x', levels: [{ kind: 'null' }, { kind: 'jaro_winkler', min: 0.8 }, { kind: 'else' }] },
    ],
    blocking: [{ fields: ['x'] }],
    threshold: { match_probability: 0.9 },
    clustering: { method: 'components' },
  });
  const values = [
    'nguyen van hung',
    'nguyen van hung',
    'nguyen van hong',
    'tran thi lan',
    'hung nguyen van',
    null,
    'nguyen thanh tung',
  ];
  // equal, close (0.97), far (0.58), word order swapped, one unknown, 0.92
  const pairs = [
    [0, 1],
    [0, 2],
    [0, 3],
    [0, 4],
    [0, 5],
    [0, 6],
  ];

  it('gives each pair the level the plain CASE gives it, in both comparisons', async () => {
    await withDb(async (db) => {
      const rows = values.map((v, i) => `(${i}, ${v === null ? 'null' : `'${v}'`})`).join(', ');
      await db.exec(`create table input as select * from (values ${rows}) t(record_id, x)`);
      await db.exec(`create table recs as select record_id::bigint as _rid, 0::tinyint as _ds, x::varchar as x,
        array_to_string(list_sort(string_split(x, ' ')), ' ') as x__sorted from input`);
      await db.exec(
        `create table prs as select * from (values ${pairs.map(([a, b]) => `(${a}, ${b})`).join(', ')}) t(a, b)`,
      );
      const step = comparisonVectorsSql(spec, { pairs: 'prs', records: 'recs', table: 'vec', withStats: false });
      expect(step.sql).toContain('then null else');
      await db.exec(step.sql, step.params);
      const b = new Binder();
      const plain = spec.comparisons.map((c) => `${gammaExpr(c, b)} as g_${c.name}`).join(', ');
      const want = await db.all(
        `select p.a, p.b, ${plain} from prs p join recs l on l._rid = p.a join recs r on r._rid = p.b order by 1, 2`,
        b.params,
      );
      const got = await db.all('select a, b, g_name, g_loose from vec order by 1, 2');
      expect(got).toEqual(want);
      // every level of `name` is reached; `loose` needs the similarity where `name` took the pair earlier
      expect(got.map((r) => Number(r.g_name))).toEqual([1, 3, 5, 2, 0, 4]);
      expect(got.map((r) => Number(r.g_loose))).toEqual([1, 1, 2, 2, 0, 1]);
    });
  });
});
