import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { caseColumns } from '../../engine/publish/case-row.js';
import {
  casesSheetName,
  defaultXlsxMaxRows,
  explainSheetName,
  noteSheetName,
  truncationNote,
  writeCasesXlsx,
  xlsxColumns,
  xlsxHeader,
  xlsxText,
  xlsxWidth,
} from '../../engine/publish/xlsx.js';
import { caseRow, manyRows, reasons } from './fixtures.js';
import { tempDir } from './helpers.js';

const path = tempDir('xlsx');
const colNo = (name: string) => xlsxColumns.findIndex((c) => c.name === name) + 1;

describe('writeCasesXlsx', async () => {
  const rows = [
    caseRow(),
    caseRow({
      rank: 2,
      name: '=HYPERLINK("http://evil.example","x")',
      reasons: ['+1', 'b'],
      tax_gap_vnd: -2_000_000,
      bank_revenue_vnd: null,
    }),
    caseRow({ rank: 3, name: 'bell\u0007 in name' }),
  ];
  const file = path('cases.xlsx');
  await writeCasesXlsx(file, rows, { reasons });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.getWorksheet(casesSheetName)!;
  const explain = wb.getWorksheet(explainSheetName)!;

  it('freezes the header row and the name column, sets an autofilter, heads columns for people', () => {
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(JSON.stringify(sheet.autoFilter)).toMatch(/A1|"row":1/);
    expect(sheet.getRow(1).values).toEqual([undefined, ...xlsxColumns.map((c) => xlsxHeader(c, 'vi'))]);
    expect(xlsxColumns.map((c) => c.name).sort()).toEqual(caseColumns.map((c) => c.name).sort());
    expect(sheet.rowCount).toBe(4);
  });

  it.each(xlsxColumns.map((c) => ({ name: c.name, width: xlsxWidth(c, 'vi') })))(
    'column $name is $width wide (its header fits)',
    ({ name, width }) => {
      expect(sheet.getColumn(colNo(name)).width).toBe(width);
      const header = String(sheet.getRow(1).getCell(colNo(name)).value);
      expect(Math.max(...header.split(' ').map((w) => w.length))).toBeLessThan(width);
    },
  );

  it.each([
    { name: 'tax_gap_vnd', numFmt: '#,##0', value: 18_750_000 },
    { name: 'expected_yield_vnd', numFmt: '#,##0', value: 12_345_678 },
    { name: 'risk_score', numFmt: '0.000', value: 0.8731 },
    { name: 'rank', numFmt: '#,##0', value: 1 },
    { name: 'tax_year', numFmt: '0', value: 2026 },
  ])('$name is a number formatted $numFmt', ({ name, numFmt, value }) => {
    const cell = sheet.getRow(2).getCell(colNo(name));
    expect(cell.value).toBe(value);
    expect(cell.numFmt).toBe(numFmt);
  });

  // the writer hands each cell its column's style object (exceljs then finds the style by identity)
  it.each([2, 3, 4])("every cell of row %i has its own column's number format and alignment", (r) => {
    for (const [k, c] of xlsxColumns.entries()) {
      const cell = sheet.getRow(r).getCell(k + 1);
      const column = sheet.getColumn(k + 1);
      expect({ name: c.name, numFmt: cell.numFmt, alignment: cell.alignment }).toEqual({
        name: c.name,
        numFmt: column.numFmt,
        alignment: column.alignment,
      });
    }
  });

  it('never writes a formula, neutralises text and keeps negative numbers numeric', () => {
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    expect(sheet.getRow(3).getCell(colNo('name')).value).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(sheet.getRow(3).getCell(colNo('reasons')).value).toBe(`'+1\nb`);
    expect(sheet.getRow(3).getCell(colNo('tax_gap_vnd')).value).toBe(-2_000_000);
    expect(sheet.getRow(3).getCell(colNo('bank_revenue_vnd')).value).toBeNull();
    expect(sheet.getRow(4).getCell(colNo('name')).value).toBe('bell in name');
  });

  it('explains every column and reason code in both languages', () => {
    const cells = new Set<string>();
    explain.eachRow((row) => row.eachCell((cell) => cells.add(String(cell.value))));
    for (const c of caseColumns) {
      expect(cells).toContain(c.name);
      expect(cells).toContain(c.label_vi);
      expect(cells).toContain(c.label_en);
    }
    for (const r of reasons) for (const v of [r.code, r.label_vi, r.label_en]) expect(cells).toContain(v);
  });

  it('writes a bigger list masked', async () => {
    const big = path('big.xlsx');
    await writeCasesXlsx(big, manyRows(3_000), { maskPii: true, language: 'en' });
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(big);
    const s = back.getWorksheet(casesSheetName)!;
    expect(s.rowCount).toBe(3_001);
    expect(String(s.getRow(2).getCell(colNo('phones')).value)).toMatch(/^09\d\d\*\*\*\d{3}$/);
    expect(back.getWorksheet(explainSheetName)!.getRow(1).getCell(4).value).toBe('English');
  });
});

describe('writeCasesXlsx with a row limit', () => {
  it.each([
    { total: 50, maxRows: 20, rows: 20, note: true },
    { total: 20, maxRows: 20, rows: 20, note: false },
    { total: 50, maxRows: 0, rows: 50, note: false },
  ])('$total cases, maxRows $maxRows: $rows rows, note sheet $note', async ({ total, maxRows, rows, note }) => {
    const file = path(`limit-${total}-${maxRows}.xlsx`);
    const all = manyRows(total);
    await writeCasesXlsx(file, all, { maxRows });
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(file);
    const s = back.getWorksheet(casesSheetName)!;
    expect(s.rowCount).toBe(rows + 1);
    expect(s.getRow(rows + 1).getCell(colNo('entity_id')).value).toBe(all[rows - 1]!.entity_id);
    const noteSheet = back.getWorksheet(noteSheetName);
    expect(Boolean(noteSheet)).toBe(note);
    if (note) {
      expect(back.worksheets[0]!.name).toBe(noteSheetName);
      expect(String(noteSheet!.getRow(3).getCell(1).value)).toBe(truncationNote(rows, total)[1]);
      expect(truncationNote(rows, total)[1]).toMatch(
        /first 20 cases .* of 50\. The full list is in cases\.csv and cases\.parquet/,
      );
    }
  });

  it('defaults to 20,000 rows', () => {
    expect(defaultXlsxMaxRows).toBe(20_000);
  });
});

describe('xlsxText', () => {
  it.each([
    { input: 'ok', expected: 'ok' },
    { input: 'a\u0000b\u001fc', expected: 'abc' },
    { input: 'tab\tand\nnewline', expected: 'tab\tand\nnewline' },
    { input: 'lone \ud800 surrogate', expected: 'lone  surrogate' },
    { input: '😀', expected: '😀' },
    { input: 'x'.repeat(40_000), expected: 'x'.repeat(32_766) + '…' },
  ])('$input', ({ input, expected }) => {
    expect(xlsxText(input)).toBe(expected);
  });
});
