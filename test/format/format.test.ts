import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { excelFormats, fmt, setLang } from '../../engine/format.js';
import { cli, samplesDir } from '../cli/helpers.js';

describe('fmt', () => {
  it.each([
    { call: () => fmt('vi').int(1234567), expected: '1.234.567' },
    { call: () => fmt('en').int(1234567), expected: '1,234,567' },
    { call: () => fmt('vi').int(-20454855000.4), expected: '-20.454.855.000' },
    { call: () => fmt('vi').dec(0.9944, 3), expected: '0,994' },
    { call: () => fmt('en').dec(0.9944, 3), expected: '0.994' },
    { call: () => fmt('vi').dec(5, 1), expected: '5,0' },
    { call: () => fmt('vi').num(5.1), expected: '5,1' },
    { call: () => fmt('vi').pct(0.1234), expected: '12,3 %' },
    { call: () => fmt('en').pct(0.1234), expected: '12.3 %' },
    { call: () => fmt('vi').vnd(20454855000), expected: '20.454.855.000 VND' },
    { call: () => fmt('vi').mvnd(12_345_000), expected: '12,3 triệu đồng' },
    { call: () => fmt('en').mvnd(1_234_500_000), expected: '1,235 million VND' },
    { call: () => fmt('vi').shortVnd(2.5e9), expected: '2,5 tỷ' },
    { call: () => fmt('vi').signed(1500), expected: '+1.500' },
    { call: () => fmt('vi').signed(-1500), expected: '-1.500' },
    { call: () => fmt('vi').sig(0.000123456, 3), expected: '0,000123' },
    { call: () => fmt('vi').time('2026-11-22T13:58:15.641Z'), expected: '22/11/2026 20:58' },
    { call: () => fmt('en').time('2026-11-22T13:58:15.641Z'), expected: '22 Nov 2026 20:58' },
    // Past midnight in Hà Nội while still the day before in UTC.
    { call: () => fmt('vi').time('2026-11-23T17:05:00Z'), expected: '24/11/2026 00:05' },
    { call: () => fmt('vi').date('2026-01-01'), expected: '01/01/2026' },
    { call: () => fmt('vi').ms(1500), expected: '1,5 s' },
    { call: () => fmt('vi').ms(15), expected: '15 ms' },
    { call: () => fmt('vi').bytes(3_221_225_472), expected: '3 GiB' },
    { call: () => fmt('vi').bytes(1536), expected: '1,5 KiB' },
    { call: () => fmt('vi').age(3.5), expected: '3,5 h' },
    { call: () => fmt('vi').year(2025), expected: '2025' },
    { call: () => fmt('en').year(2025), expected: '2025' },
    { call: () => fmt('vi').id(12345678), expected: '12345678' },
    { call: () => fmt('vi').int(Number.NaN), expected: '–' },
  ])('$expected', ({ call, expected }) => {
    expect(call()).toBe(expected);
  });

  it('gives Excel locale-neutral codes (the reader draws its own separators)', () => {
    expect(excelFormats).toEqual({ vnd: '#,##0', count: '#,##0', score: '0.000', year: '0', flag: '0' });
  });
});

describe('the language of a command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangloc-lang-'));
  const en = join(dir, 'en.json');
  writeFileSync(en, JSON.stringify({ output: { language: 'en' } }));
  afterAll(() => {
    setLang('vi');
    rmSync(dir, { recursive: true, force: true });
  });
  it.each([
    { args: [], shape: /rows: +\d\.\d{3} read/ },
    { args: ['--lang', 'en'], shape: /rows: +\d,\d{3} read/ },
    { args: ['--config', en], shape: /rows: +\d,\d{3} read/ },
    { args: ['--config', en, '--lang', 'vi'], shape: /rows: +\d\.\d{3} read/ },
  ])('check $args', async ({ args, shape }) => {
    const r = await cli(['check', '--input', samplesDir, ...args]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(shape);
  });

  it('refuses a language it does not have', async () => {
    const r = await cli(['check', '--input', samplesDir, '--lang', 'fr']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--lang must be one of vi, en, got "fr"/);
  });
});
