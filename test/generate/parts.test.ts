import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, Weighted, permute } from '../../engine/generate/random.js';
import {
  nationalId,
  normaliseDomain,
  phoneNumber,
  renderDomain,
  renderPhone,
  taxCode10,
  taxCodeCheckDigit,
} from '../../engine/generate/identifiers.js';
import { renderName, stripDiacritics } from '../../engine/generate/names.js';
import { currentProvinces, oldProvinces, renderProvince } from '../../engine/generate/geo.js';
import { CsvSink, csvField, csvLine } from '../../engine/generate/csv.js';
import { splitExact } from '../../engine/generate/world.js';
import { identityOf } from '../../engine/generate/people.js';
import { parseCsv } from './read-csv.js';

describe('random', () => {
  it('repeats a sequence for the same seed and key path, not for another', () => {
    const draw = (seed: number, ...k: number[]) => {
      const r = new Rng(seed, ...k);
      return Array.from({ length: 5 }, () => r.u32());
    };
    expect(draw(42, 1, 2)).toEqual(draw(42, 1, 2));
    expect(draw(42, 1, 2)).not.toEqual(draw(42, 2, 1));
    expect(draw(42, 1, 2)).not.toEqual(draw(43, 1, 2));
    expect(draw(2 ** 40 + 5, 1)).not.toEqual(draw(5, 1));
  });

  it('draws uniform [0, 1) and integers within bounds', () => {
    const r = new Rng(1);
    const xs = Array.from({ length: 20_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.01);
    const ints = Array.from({ length: 5000 }, () => r.int(3, 7));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it('picks with the given weights', () => {
    const w = new Weighted([
      ['a', 3],
      ['b', 1],
    ] as const);
    const r = new Rng(9);
    const n = Array.from({ length: 8000 }, () => w.pick(r)).filter((x) => x === 'a').length;
    expect(n / 8000).toBeGreaterThan(0.72);
    expect(n / 8000).toBeLessThan(0.78);
  });

  it.each([1, 2, 3, 5])('permutes [0, 10^%i) without collisions', (digits) => {
    const size = 10 ** digits;
    const seen = new Set<number>();
    let outside = 0;
    for (let n = 0; n < size; n++) {
      const v = permute(n, digits, 42, 7);
      if (v < 0 || v >= size || !Number.isInteger(v)) outside++;
      seen.add(v);
    }
    expect(outside).toBe(0);
    expect(seen.size).toBe(size);
  });

  it('permutes wide spaces without collisions over a counter range', () => {
    const seen = new Set(Array.from({ length: 50_000 }, (_, n) => permute(n, 11, 42, 3)));
    expect(seen.size).toBe(50_000);
    expect([...seen].every((v) => v < 1e11)).toBe(true);
  });
});

describe('identifiers', () => {
  it.each([
    { first9: '010010910', check: 6 },
    { first9: '030058856', check: 9 },
  ])('computes the MST check digit of $first9', ({ first9, check }) => {
    expect(taxCodeCheckDigit(first9)).toBe(check);
  });

  it.each(['personal', 'enterprise'] as const)('makes unique, valid 10-digit %s tax codes', (kind) => {
    const codes = Array.from({ length: 3000 }, (_, slot) => taxCode10(42, slot, kind));
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) {
      expect(c).toMatch(/^\d{10}$/);
      expect(taxCodeCheckDigit(c.slice(0, 9))).toBe(Number(c[9]));
    }
    expect(codes.every((c) => c.startsWith(kind === 'personal' ? '8' : '0'))).toBe(true);
  });

  it('makes unique personal IDs and phones per slot', () => {
    const ids = Array.from({ length: 5000 }, (_, s) => nationalId(1, s, '079', 'F', 1992));
    expect(new Set(ids).size).toBe(5000);
    expect(ids[0]).toMatch(/^079192\d{6}$/);
    const phones = Array.from({ length: 5000 }, (_, s) => phoneNumber(1, s));
    expect(new Set(phones).size).toBe(5000);
    expect(phones.every((p) => /^0[35789]\d{8}$/.test(p))).toBe(true);
  });

  it('renders phones that all normalise back to the same number', () => {
    const r = new Rng(4);
    const forms = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const s = renderPhone(r, '0912345678');
      forms.add(s);
      expect(s.replace(/\D/g, '').replace(/^84/, '0')).toBe('0912345678');
    }
    expect(forms).toContain('+84 912 345 678');
    expect(forms).toContain('84-912-345-678');
  });

  it.each([
    { input: 'https://WWW.ShopMai.vn:443/lien-he', expected: 'shopmai.vn' },
    { input: 'www.abc.com.vn', expected: 'abc.com.vn' },
    { input: 'http://ABC.VN/shop?x=1', expected: 'abc.vn' },
    { input: 'abc.vn', expected: 'abc.vn' },
  ])('normalises domain $input', ({ input, expected }) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  it('renders domains that normalise back', () => {
    const r = new Rng(5);
    for (let k = 0; k < 200; k++)
      expect(normaliseDomain(renderDomain(r, 'thoitrangmai.com.vn'))).toBe('thoitrangmai.com.vn');
  });
});

describe('names and places', () => {
  it.each([
    { input: 'Nguyễn Thị Đào', expected: 'Nguyen Thi Dao' },
    { input: 'ĐẶNG VĂN HỮU', expected: 'DANG VAN HUU' },
  ])('strips diacritics of $input', ({ input, expected }) => {
    expect(stripDiacritics(input)).toBe(expected);
  });

  it('draws surnames with the real spread (Nguyễn about 38 %)', () => {
    const n = 4000;
    const names = Array.from({ length: n }, (_, s) => identityOf(3, s).name);
    const share = (s: string) => names.filter((x) => x.surname === s).length / n;
    expect(share('Nguyễn')).toBeGreaterThan(0.33);
    expect(share('Nguyễn')).toBeLessThan(0.43);
    expect(share('Trần')).toBeGreaterThan(0.08);
    // Full names collide, as in real registries.
    expect(new Set(names.map((x) => x.full)).size).toBeLessThan(n * 0.8);
  });

  it('renders names that match once case, diacritics and spaces are ignored', () => {
    const r = new Rng(8);
    const key = (s: string) => stripDiacritics(s).toLowerCase().replace(/\s+/g, ' ').trim();
    for (let k = 0; k < 200; k++) expect(key(renderName(r, 'Nguyễn Thị Mai'))).toBe('nguyen thi mai');
  });

  it('maps 63 old provinces onto the 34 current ones', () => {
    expect(oldProvinces).toHaveLength(63);
    expect(currentProvinces).toHaveLength(34);
    expect(new Set(oldProvinces.map((p) => p.code)).size).toBe(63);
    const namDinh = oldProvinces.findIndex((p) => p.name === 'Nam Định');
    const r = new Rng(2);
    const seen = new Set(Array.from({ length: 300 }, () => stripDiacritics(renderProvince(r, namDinh)).toLowerCase()));
    expect([...seen].some((s) => s.includes('nam dinh'))).toBe(true);
    expect([...seen].some((s) => s.includes('ninh binh'))).toBe(true);
  });
});

describe('csv', () => {
  it.each([
    { input: 'plain', expected: 'plain' },
    { input: '12 Lê Lợi, P. 3', expected: '"12 Lê Lợi, P. 3"' },
    { input: 'say "hi"', expected: '"say ""hi"""' },
    { input: 1250000, expected: '1250000' },
    { input: undefined, expected: '' },
  ])('quotes $input only when needed', ({ input, expected }) => {
    expect(csvField(input)).toBe(expected);
  });

  it('streams lines to a file that parses back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangloc-csv-'));
    try {
      const sink = new CsvSink(join(dir, 'x.csv'), ['a', 'b']);
      for (let i = 0; i < 50_000; i++) {
        sink.add(csvLine([i, `Hồ ${i}, "q"`]));
        if (i % 1000 === 0) await sink.flush();
      }
      await sink.close();
      const rows = parseCsv(readFileSync(join(dir, 'x.csv'), 'utf8'));
      expect(rows).toHaveLength(50_001);
      expect(rows[0]).toEqual(['a', 'b']);
      expect(rows[50_000]).toEqual(['49999', 'Hồ 49999, "q"']);
      expect(sink.rows).toBe(50_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('splitExact', () => {
  it.each([
    { total: 1_000_000, weights: [1, 1, 2], expected: [250_000, 250_000, 500_000] },
    { total: 1_001_000, weights: [1, 1, 1], expected: [334_000, 334_000, 333_000] },
    { total: 0, weights: [1, 2], expected: [0, 0] },
    { total: 5_000, weights: [0, 0], expected: [0, 0] },
  ])('splits $total by $weights', ({ total, weights, expected }) => {
    expect(splitExact(total, weights)).toEqual(expected);
  });

  it('always adds up to the total', () => {
    const r = new Rng(6);
    for (let k = 0; k < 200; k++) {
      const total = r.int(1, 10_000) * 1000 + (k % 3 === 0 ? r.int(0, 999) : 0);
      const parts = splitExact(
        total,
        Array.from({ length: r.int(1, 40) }, () => r.lognormal(0, 1)),
      );
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});
