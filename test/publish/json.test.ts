import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseColumns } from '../../engine/publish/case-row.js';
import { caseJsonLine, caseJsonObject, writeCasesJson } from '../../engine/publish/json.js';
import { caseRow, manyRows } from './fixtures.js';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { tempDir } from './helpers.js';

const path = tempDir('json');

describe('writeCasesJson', async () => {
  const rows = [caseRow(), caseRow({ rank: 2, name: '=1+1', bank_revenue_vnd: NaN, phones: [], tax_gap_vnd: -5 })];
  const file = path('cases.json');
  await writeCasesJson(file, rows);
  const back = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];

  it('keeps every column, in order', () => {
    expect(back).toHaveLength(2);
    expect(Object.keys(back[0]!)).toEqual(caseColumns.map((c) => c.name));
  });

  it.each([
    { row: 0, name: 'phones', expected: ['0912345678', '0987654321'] },
    { row: 0, name: 'risk_score', expected: 0.8731 },
    { row: 0, name: 'estimated_revenue_vnd', expected: 1_250_000_000 },
    { row: 0, name: 'bank_revenue_vnd', expected: null },
    { row: 1, name: 'name', expected: '=1+1' },
    { row: 1, name: 'bank_revenue_vnd', expected: null },
    { row: 1, name: 'phones', expected: [] },
    { row: 1, name: 'tax_gap_vnd', expected: -5 },
  ])('row $row $name', ({ row, name, expected }) => {
    expect(back[row]![name]).toEqual(expected);
  });

  it.each([
    { rows: [], expected: 0 },
    { rows: manyRows(4_500), expected: 4_500 },
  ])('writes $expected rows as valid JSON', async ({ rows: input, expected }) => {
    const f = path(`n${expected}.json`);
    await writeCasesJson(f, input, { maskPii: true });
    const parsed = JSON.parse(readFileSync(f, 'utf8')) as { rank: number; phones: string[] }[];
    expect(parsed).toHaveLength(expected);
    if (expected > 0) {
      expect(parsed.at(-1)!.rank).toBe(expected);
      expect(parsed[0]!.phones[0]).toMatch(/^09\d\d\*\*\*\d{3}$/);
    }
  });
});

describe('caseJsonLine', () => {
  // cases.json must stay byte-identical to the object it stood in for
  it.each([
    { what: 'a full row', row: caseRow() },
    { what: 'text needing escapes', row: caseRow({ name: 'Hà "Nội"\\ \n\t\u2028\ud800 x', province: null }) },
    { what: 'unknown numbers', row: caseRow({ risk_score: NaN, tax_rate: Infinity, tax_gap_vnd: null }) },
    { what: 'rounded VND, kept score', row: caseRow({ expected_yield_vnd: 12.5, risk_score: 1e-7, tax_year: null }) },
    { what: 'empty and missing lists', row: caseRow({ phones: [], emails: undefined as unknown as string[] }) },
    { what: 'non-string list items', row: caseRow({ shops: [1, null] as unknown as string[] }) },
    { what: 'missing text', row: { ...caseRow(), name: undefined } as unknown as CaseRow },
  ])('$what', ({ row }) => {
    expect(caseJsonLine(row)).toBe(JSON.stringify(caseJsonObject(row)));
  });
});
