import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseColumns } from '../../engine/publish/case-row.js';
import { writeCasesCsv } from '../../engine/publish/csv.js';
import { openDb, literal } from '../../engine/warehouse/db.js';
import { caseRow, manyRows } from './fixtures.js';
import { parseCsv, tempDir } from './helpers.js';

const path = tempDir('csv');
const col = (name: string) => caseColumns.findIndex((c) => c.name === name);

const tricky = [
  caseRow(),
  caseRow({
    rank: 2,
    entity_id: 'E000002',
    name: 'Shop "Hoa, Lá"\r\nCành',
    reasons: ['=HYPERLINK("http://evil.example","bấm")', 'tiền, nhiều'],
    phones: ['+84912345678'],
    tax_gap_vnd: -2_000_000,
    declared_revenue_vnd: null,
    risk_score: 1e-7,
    province: '@Hà Nội',
  }),
];

describe('writeCasesCsv', async () => {
  const file = path('cases.csv');
  await writeCasesCsv(file, tricky);
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  const records = parseCsv(text.slice(1));

  it('starts with a UTF-8 BOM and ends lines with CRLF', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith('\r\n')).toBe(true);
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(outsideQuotes.split('\r\n')).toHaveLength(4); // header + 2 rows + the trailing empty piece
    expect(outsideQuotes.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('writes the header in column order', () => {
    expect(records[0]).toEqual(caseColumns.map((c) => c.name));
  });

  it.each([
    { row: 1, name: 'phones', expected: '0912345678|0987654321' },
    { row: 1, name: 'sources', expected: 'platform_sellers|cod_shipments' },
    { row: 1, name: 'risk_score', expected: '0.8731' },
    { row: 1, name: 'bank_revenue_vnd', expected: '' },
    { row: 1, name: 'name', expected: 'Nguyễn Thị Hồng Nhung' },
    { row: 2, name: 'name', expected: 'Shop "Hoa, Lá"\r\nCành' },
    { row: 2, name: 'reasons', expected: `'=HYPERLINK("http://evil.example","bấm")|tiền, nhiều` },
    { row: 2, name: 'phones', expected: "'+84912345678" },
    { row: 2, name: 'province', expected: "'@Hà Nội" },
    { row: 2, name: 'tax_gap_vnd', expected: '-2000000' },
    { row: 2, name: 'declared_revenue_vnd', expected: '' },
    { row: 2, name: 'risk_score', expected: '0.0000001' },
  ])('row $row $name = $expected', ({ row, name, expected }) => {
    expect(records[row]![col(name)]).toBe(expected);
  });

  it('loads back through DuckDB with the same cells', async () => {
    const db = await openDb(':memory:');
    try {
      const rows = await db.all(`select * from read_csv(${literal(file)}, header = true, all_varchar = true)`);
      expect(rows.map((r) => Object.values(r).map((v) => v ?? ''))).toEqual(records.slice(1));
    } finally {
      db.close();
    }
  });

  it('masks identifiers when asked', async () => {
    const masked = path('masked.csv');
    await writeCasesCsv(masked, tricky, { maskPii: true });
    const r = parseCsv(readFileSync(masked, 'utf8').slice(1));
    expect(r[1]![col('phones')]).toBe('0912***678|0987***321');
    expect(r[1]![col('national_ids')]).toBe('0790****1234');
    expect(r[1]![col('name')]).toBe('Nguyễn Thị Hồng Nhung');
    expect(readFileSync(masked, 'utf8')).not.toContain('0912345678');
  });

  it('writes lists longer than one chunk in order, byte-identical on a second write', async () => {
    const rows = manyRows(5_001);
    const a = path('many-a.csv');
    const b = path('many-b.csv');
    await writeCasesCsv(a, rows);
    await writeCasesCsv(b, rows);
    const r = parseCsv(readFileSync(a, 'utf8').slice(1));
    expect(r.length).toBe(5_002);
    expect(r.slice(1).map((x) => Number(x[0]))).toEqual(rows.map((x) => x.rank));
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('writes a header only for an empty list', async () => {
    const empty = path('empty.csv');
    await writeCasesCsv(empty, []);
    expect(parseCsv(readFileSync(empty, 'utf8').slice(1))).toEqual([caseColumns.map((c) => c.name)]);
  });
});
