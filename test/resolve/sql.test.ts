import { describe, expect, it } from 'vitest';
import { normalizeLinkSpec, type LevelSpec } from '../../engine/resolve/spec.js';
import { Binder, gammaExpr, normalizeExpr } from '../../engine/resolve/sql.js';
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
  const side = (p: string) => `(select ${p}::varchar as x, array_to_string(list_sort(string_split(${p}::varchar, ' ')), ' ') as x__sorted)`;
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
    { level: { kind: 'jaro_winkler', min: 0.9, word_order: 'either' }, l: 'hung nguyen van', r: 'nguyen van hung', g: 1 },
    { level: { kind: 'jaro_winkler', min: 0.9, word_order: 'as_is' }, l: 'hung nguyen van', r: 'nguyen van hung', g: 2 },
    { level: { kind: 'levenshtein', max: 1 }, l: 'abc', r: 'abd', g: 1 },
    { level: { kind: 'levenshtein', max: 1 }, l: 'abc', r: 'xyz', g: 2 },
    { level: { kind: 'abs_diff', max: 100 }, l: '1000', r: '1090', g: 1 },
    { level: { kind: 'abs_diff', max: 100 }, l: '1000', r: '1200', g: 2 },
    { level: { kind: 'abs_diff', max: 100 }, l: 'abc', r: '1000', g: 2 },
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
      expect(await db.value(`select ${normalizeExpr('v', how)} from (select $raw::varchar as v)`, { raw })).toBe(expected);
    });
  });

  it('takes the first non-empty of several columns', async () => {
    await withDb(async (db) => {
      expect(await db.value(`select ${normalizeExpr(['a', 'b'], 'name')} from (select ' '::varchar as a, 'Lê Lợi'::varchar as b)`)).toBe('le loi');
    });
  });
});
