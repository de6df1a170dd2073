import { describe, expect, it } from 'vitest';
import { caseColumns } from '../../engine/publish/case-row.js';
import { formatNumber, neutraliseFormula, spreadsheetCell } from '../../engine/publish/cells.js';
import { csvField } from '../../engine/publish/csv.js';
import { caseRow } from './fixtures.js';

const column = (name: string) => caseColumns.find((c) => c.name === name)!;

describe('caseColumns', () => {
  it('starts with the contract columns in contract order', () => {
    expect(caseColumns.filter((c) => c.required).map((c) => c.name)).toEqual(
      caseColumns.slice(0, 16).map((c) => c.name),
    );
    expect(caseColumns.slice(0, 16).map((c) => c.name)).toEqual([
      'rank',
      'entity_id',
      'risk_score',
      'expected_yield_vnd',
      'estimated_revenue_vnd',
      'declared_revenue_vnd',
      'undeclared_revenue_vnd',
      'tax_gap_vnd',
      'name',
      'tax_ids',
      'national_ids',
      'phones',
      'province',
      'sources',
      'reason_codes',
      'reasons',
    ]);
    expect(caseColumns.slice(16).map((c) => c.name)).toEqual([
      'control_slice',
      'tax_year',
      'activity_group',
      'tax_rate',
      'tax_rate_min',
      'tax_rate_max',
      'tax_rate_basis',
      'platform_revenue_vnd',
      'cod_revenue_vnd',
      'bank_revenue_vnd',
      'tax_withheld_vnd',
      'emails',
      'accounts',
      'domains',
      'shops',
      'record_count',
    ]);
  });

  it.each(caseColumns.map((c) => ({ name: c.name, c })))('$name has both labels', ({ c }) => {
    expect(c.label_vi.length).toBeGreaterThan(3);
    expect(c.label_en.length).toBeGreaterThan(3);
  });
});

describe('neutraliseFormula', () => {
  it.each([
    { input: '=1+1', expected: "'=1+1" },
    { input: '+84912345678', expected: "'+84912345678" },
    { input: '-2+3', expected: "'-2+3" },
    { input: '@SUM(A1)', expected: "'@SUM(A1)" },
    { input: '\t=cmd', expected: "'\t=cmd" },
    { input: '\r=cmd', expected: "'\r=cmd" },
    { input: '  =cmd', expected: "'  =cmd" },
    { input: '＝cmd', expected: "'＝cmd" },
    { input: 'Nguyễn Văn A', expected: 'Nguyễn Văn A' },
    { input: 'a=b', expected: 'a=b' },
    { input: '', expected: '' },
  ])('$input', ({ input, expected }) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe('spreadsheetCell', () => {
  it.each([
    { name: 'tax_gap_vnd', row: caseRow({ tax_gap_vnd: -2_000_000 }), expected: -2_000_000 },
    { name: 'tax_gap_vnd', row: caseRow({ tax_gap_vnd: 12.6 }), expected: 13 },
    { name: 'bank_revenue_vnd', row: caseRow({ bank_revenue_vnd: NaN }), expected: null },
    { name: 'risk_score', row: caseRow({ risk_score: 0.12345 }), expected: 0.12345 },
    { name: 'name', row: caseRow({ name: '-Shop' }), expected: "'-Shop" },
    { name: 'name', row: caseRow({ name: null }), expected: '' },
    { name: 'phones', row: caseRow({ phones: ['+84912345678', '0987654321'] }), expected: "'+84912345678|0987654321" },
    { name: 'reasons', row: caseRow({ reasons: [] }), expected: '' },
  ])('$name → $expected', ({ name, row, expected }) => {
    expect(spreadsheetCell(column(name), row)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it.each([
    { input: 1_250_000, expected: '1250000' },
    { input: -2_000_000, expected: '-2000000' },
    { input: 0.5, expected: '0.5' },
    { input: 1e-7, expected: '0.0000001' },
    { input: 1e21, expected: '1000000000000000000000' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(formatNumber(input)).toBe(expected);
  });
});

describe('csvField', () => {
  it.each([
    { input: 'plain', expected: 'plain' },
    { input: 'a,b', expected: '"a,b"' },
    { input: 'say "hi"', expected: '"say ""hi"""' },
    { input: 'two\nlines', expected: '"two\nlines"' },
    { input: 'cr\rhere', expected: '"cr\rhere"' },
  ])('$input', ({ input, expected }) => {
    expect(csvField(input)).toBe(expected);
  });
});
