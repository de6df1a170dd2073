import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import type { SourceIngestConfig } from '../../engine/ingest/options.js';
import type { SourceName } from '../../engine/ingest/sources.js';
import { createLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { ident } from '../../engine/warehouse/db.js';
import { tempDir, withDb } from '../helpers.js';

const corpus = join(packageRoot, 'test', 'fixtures', 'bad-input');

interface Row {
  line: number | null;
  column: string | null;
  value?: string;
  reason: string;
}

interface Case {
  file: string;
  source: SourceName;
  case: string;
  workbook: keyof typeof workbooks;
  config?: SourceIngestConfig;
  status: 'loaded' | 'failed' | 'rejected';
  sheet?: string;
  headerRow?: number;
  read?: number;
  loaded?: number;
  rejected?: number;
  message?: string;
  rejects?: Row[];
  kept?: { line: number; column: string; value: string }[];
  extraColumns?: string;
  log?: string[];
}

type Cell =
  | string
  | number
  | null
  | { date: string; numFmt?: string }
  | { number: number; numFmt: string }
  | { formula: string; result: number }
  | { richText: string[] }
  | { error: string };
interface Sheet {
  name: string;
  /** Rows from row 1; null = no row at all. */
  rows: (Cell[] | null)[];
  merges?: string[];
}

const statementHeader = [
  'STT',
  'Ngân hàng',
  'Số tài khoản',
  'Tên chủ tài khoản',
  'MST',
  'Mã GD',
  'Ngày giao dịch',
  'Số tiền',
  'Loại giao dịch',
  'Nội dung',
];
const acct = ['VCB', '0011001234567', 'NGUYEN VAN AN'];
const when = (iso: string) => ({ date: iso, numFmt: 'dd/mm/yyyy hh:mm' });
const day = (iso: string) => ({ date: `${iso}T00:00:00`, numFmt: 'dd/mm/yyyy' });
const declarations = (period: string): Cell[][] => [
  ['MST', 'Kỳ tính thuế', 'Doanh thu', 'Số thuế đã nộp', 'Ngày nộp'],
  ['0100109106', period, 120000000, 1500000, day('2026-10-20')],
  ...(period === '2026-Q3' ? [['0312345673', period, 80000000, 0, day('2026-10-21')]] : []),
];

/** The workbooks of workbooks.json, by name. */
const workbooks = {
  statement: [
    {
      name: 'Sao kê',
      merges: ['A1:J1'],
      rows: [
        ['NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM'],
        ['SAO KÊ TÀI KHOẢN', null, 'Từ 01/11/2026 đến 30/11/2026'],
        null,
        statementHeader,
        [
          1,
          ...acct,
          { number: 100109106, numFmt: '0000000000' },
          'FT001',
          when('2026-11-22T08:15:00'),
          1250000,
          'credit',
          'thanh toan don hang',
        ],
        [
          2,
          ...acct,
          null,
          'FT002',
          when('2026-11-23T09:00:00'),
          { formula: 'H5*2.2', result: 2750000.0000000005 },
          'credit',
          { richText: ['tien hang ', 'thang 11'] },
        ],
        [3, ...acct, null, 'FT003', when('2026-11-24T10:00:00'), '1.250.000', 'credit', 'ck'],
        [4, ...acct, null, 'FT004', '22/11/2026', 500000, 'credit', 'ck'],
        [5, ...acct, null, 'FT005', when('2026-11-25T11:30:00'), '2.500.000', 'debit', 'rut'],
        null,
        ['Người lập biểu'],
      ],
    },
  ],
  merged: [
    {
      name: 'Đơn COD',
      merges: ['A1:H1', 'C3:D3'],
      rows: [
        ['BẢNG KÊ ĐƠN HÀNG THU HỘ (COD) THÁNG 11/2026'],
        null,
        ['STT', 'Đơn vị vận chuyển', 'Mã vận đơn', null, 'Người gửi', 'Ngày gửi', 'Tiền thu hộ', 'Trạng thái'],
        // a date cell with a time, in a date column: the day
        [1, 'GHN', 'GHN0001', null, 'Nguyễn Văn An', when('2026-11-02T14:30:00'), 350000, 'delivered'],
        // a bare date serial (a date cell formatted General), in a date column
        [
          2,
          'GHN',
          'GHN0002',
          null,
          { richText: ['Nguyễn ', 'Văn An'] },
          46329,
          { formula: 'G4*2', result: 700000 },
          'delivered',
        ],
        [3, 'GHN', 'GHN0003', null, 'Trần Thị Bình', day('2026-11-04'), { error: '#REF!' }, 'returned'],
      ],
    },
  ],
  duplicated: [
    { name: 'Tờ khai', rows: declarations('2026-Q3') },
    { name: 'Tờ khai (2)', rows: declarations('2026-Q3') },
  ],
  twoSheets: [
    { name: 'Quý 3', rows: declarations('2026-Q3') },
    { name: 'Quý 4', rows: declarations('2026-Q4') },
  ],
  emptySheet: [
    { name: 'Sheet1', rows: [] },
    {
      name: 'Danh sách',
      rows: [
        ['DANH SÁCH WEBSITE THƯƠNG MẠI ĐIỆN TỬ ĐÃ THÔNG BÁO'],
        ['Tên miền', 'Loại', 'Chủ sở hữu', 'MST', 'Ngày thông báo', 'Trạng thái'],
        ['shopxinh.vn', 'sales_website', 'Nguyễn Văn An', '0100109106', day('2025-06-01'), 'notified'],
        ['banhngon.com.vn', 'sales_website', 'Trần Thị Bình', null, day('2025-07-12'), 'registered'],
      ],
    },
    { name: 'Ghi chú', rows: [['Nguồn: Bộ Công Thương'], ['Cập nhật 30/11/2026']] },
  ],
  allEmpty: [{ name: 'Sheet1', rows: [] }],
  columnOrder: [
    {
      name: 'NNT',
      rows: [
        ['Tỉnh/Thành phố', 'Họ và tên', 'phone', 'Mã số thuế', 'Ngày đăng ký', 'status'],
        [
          'Hà Nội',
          'HKD Nguyễn Văn An',
          { number: 912345678, numFmt: '0000000000' },
          { number: 100109106, numFmt: '0000000000' },
          day('2024-03-15'),
          'active',
        ],
        ['TP. Hồ Chí Minh', 'HKD Trần Thị Bình', '0987654321', '0312345673', null, 'active'],
      ],
    },
  ],
  ambiguous: [
    {
      name: 'NNT',
      rows: [
        ['MST', 'Họ và tên', 'Mã số thuế'],
        ['0100109106', 'HKD An', '0100109106'],
      ],
    },
  ],
  unknownHeader: [
    {
      name: 'Sheet1',
      rows: [
        ['Kênh bán', 'Ma gain hang', 'Kỳ', 'Tổng tiền'],
        ['shopee', 'S-1', '2026-11', 15000000],
      ],
    },
  ],
  // A carrier's COD list with its header over two rows (QA item 1): group cells ("Người gửi", "Tài khoản nhận
  // tiền", "Người nhận") merged across their sub-headers, every other header cell merged down over both rows.
  twoRowHeader: [
    {
      name: 'Data',
      merges: ['A1:M1', 'A3:A4', 'B3:B4', 'C3:F3', 'G3:G4', 'H3:H4', 'I3:I4', 'J3:K3', 'L3:M3'],
      rows: [
        ['BẢNG KÊ ĐƠN HÀNG THU HỘ (COD) THÁNG 11/2026'],
        null,
        [
          'Đơn vị vận chuyển',
          'Mã vận đơn',
          'Người gửi',
          null,
          null,
          null,
          'Ngày lấy hàng',
          'Tiền thu hộ',
          'Trạng thái',
          'Tài khoản nhận tiền',
          null,
          'Người nhận',
        ],
        [
          null,
          null,
          'Họ tên',
          'Số điện thoại',
          'Địa chỉ',
          'Tỉnh',
          null,
          null,
          null,
          'Ngân hàng',
          'Số tài khoản',
          'Họ tên',
          'Số điện thoại',
        ],
        [
          'JNT',
          'JNT0001',
          'Nguyễn Văn An',
          '0912345678',
          '12 Lê Lợi',
          'Khánh Hòa',
          day('2026-11-02'),
          350000,
          'delivered',
          'VCB',
          '0011001234567',
          'Trần Thị Bình',
          '0987654321',
        ],
        ['JNT', 'JNT0002', 'Nguyễn Văn An', '0912345678', '12 Lê Lợi', 'Khánh Hòa', day('2026-11-03'), 420000],
      ],
    },
  ],
  /** A second row of column names that is not laid out under group cells: which row is the header cannot be told. */
  twoHeaderRows: [
    {
      name: 'Data',
      rows: [
        ['Đơn vị vận chuyển', 'Mã vận đơn', 'Người gửi', 'Tiền thu hộ'],
        ['ĐVVC', 'Mã VĐ', 'Tên người gửi', 'Thu hộ'],
        ['JNT', 'JNT0001', 'Nguyễn Văn An', 350000],
      ],
    },
  ],
  /** Tax codes and personal IDs typed as numbers in General format: Excel shows and keeps them without the 0. */
  lostZeros: [
    {
      name: 'Tờ khai',
      rows: [
        ['DANH SÁCH TỜ KHAI HỘ KINH DOANH QUÝ 3/2026'],
        ['MST', 'Kỳ tính thuế', 'Doanh thu', 'Số thuế đã nộp'],
        [100109106, 'Quý III/2026', 120000000, 1500000],
        [30202460142, '2026-Q3', 80000000, 0],
        [{ number: 312345673, numFmt: '0000000000' }, '2026-Q3', 50000000, 0],
        [100109107, '2026-Q3', 50000000, 0],
      ],
    },
  ],
  /** Not a workbook exceljs could write: the first bytes of an OLE2 (.xls) file. */
  legacyXls: null,
  /** Half a zip file. */
  notAWorkbook: null,
} satisfies Record<string, Sheet[] | null>;

function cellValue(c: Cell): ExcelJS.CellValue {
  if (c === null || typeof c !== 'object') return c;
  if ('date' in c) return new Date(`${c.date}Z`);
  if ('number' in c) return c.number;
  if ('richText' in c) return { richText: c.richText.map((text, i) => ({ text, font: { bold: i > 0 } })) };
  if ('error' in c) return { error: c.error } as ExcelJS.CellErrorValue;
  return c as ExcelJS.CellFormulaValue;
}

/** Writes a workbook with exceljs's streaming writer, as a bank's or agency's system would. */
async function writeWorkbook(path: string, sheets: Sheet[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    // Merges first: the streaming writer commits rows as they are added.
    for (const m of s.merges ?? []) ws.mergeCells(m);
    s.rows.forEach((cells, i) => {
      if (!cells) return;
      const row = ws.getRow(i + 1);
      cells.forEach((c, j) => {
        // (an empty cell is left alone: inside a merge it would empty the merge's first cell)
        if (c === null) return;
        const cell = row.getCell(j + 1);
        cell.value = cellValue(c);
        if (c && typeof c === 'object' && 'numFmt' in c && c.numFmt) cell.numFmt = c.numFmt;
      });
      row.commit();
    });
    ws.commit();
  }
  await wb.commit();
}

const { cases } = JSON.parse(readFileSync(join(corpus, 'workbooks.json'), 'utf8')) as { cases: Case[] };

function expectRows(got: Row[], expected: Row[]) {
  expect(got.map((r) => [r.line, r.column])).toEqual(expected.map((r) => [r.line, r.column]));
  expected.forEach((e, k) => {
    expect(got[k]!.reason).toContain(e.reason);
    if (e.value !== undefined) expect(got[k]!.value).toBe(e.value);
  });
}

describe('bad-input corpus, workbooks (test/fixtures/bad-input/workbooks.json): every row is loaded or rejected, or the file refused with the fix', () => {
  it('every workbook named by a case is defined, and every definition is used', () => {
    expect(new Set(cases.map((c) => c.workbook))).toEqual(new Set(Object.keys(workbooks)));
  });

  it.each(cases)('$file as $source: $case', async (c) => {
    const root = tempDir();
    const dir = join(root, 'delivery');
    mkdirSync(dir, { recursive: true });
    const sheets = workbooks[c.workbook];
    if (sheets) await writeWorkbook(join(dir, c.file), sheets);
    else if (c.workbook === 'legacyXls')
      writeFileSync(join(dir, c.file), Buffer.from('d0cf11e0a1b11ae1000000000000000000', 'hex'));
    else writeFileSync(join(dir, c.file), Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100, 7)]));
    const log: string[] = [];
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, {
        runId: 'r1',
        log: createLogger({ write: (l) => log.push(l) }),
        ingest: c.config && { sources: { [c.source]: c.config } },
        tmpDir: root,
      });
      const f = s.files[0]!;
      expect(f.status).toBe(c.status);
      // The sheet's CSV copy is removed whatever happened.
      expect(readdirSync(root).filter((n) => n.startsWith('sangloc-xlsx-'))).toEqual([]);
      if (c.status === 'failed') {
        expect(f.message).toContain(c.file);
        expect(f.message).toContain(c.message);
        expect(await db.value(`select count(*)::int from ${ident(`raw_${c.source}`)}`)).toBe(0);
        expect(await db.value(`select reason from rejects where file = $f`, { f: c.file })).toContain(c.message);
        return;
      }
      if (process.env.DEBUG_XLSX) console.log(await db.all(`select * from rejects`), log);
      expect({
        sheet: f.sheet,
        headerRow: f.headerRow,
        read: f.rowsRead,
        loaded: f.rowsLoaded,
        rejected: f.rowsRejected,
      }).toEqual({
        sheet: c.sheet,
        headerRow: c.headerRow,
        read: c.read,
        loaded: c.loaded,
        rejected: c.rejected,
      });
      expect(f.rowsRead).toBe(f.rowsLoaded + f.rowsRejected);
      expect(await db.value(`select count(*)::int from ${ident(`raw_${c.source}`)}`)).toBe(c.loaded);
      expect(await db.one(`select name, sheet, rows_read::int as r from ingest_files`)).toEqual({
        name: c.file,
        sheet: c.sheet,
        r: c.read,
      });
      expectRows(await db.all<Row>(`select line, "column", value, reason from rejects order by line`), c.rejects ?? []);
      for (const k of c.kept ?? []) {
        const v = await db.value<string>(
          `select ${ident(k.column)} from ${ident(`raw_${c.source}`)} where _line = $l`,
          { l: k.line },
        );
        expect(v, `${k.column} on row ${k.line}`).toBe(k.value);
      }
      expect(await db.value(`select extra_columns from ingest_files`)).toBe(c.extraColumns ?? '');
      for (const fragment of c.log ?? [])
        expect(
          log.some((l) => l.includes(fragment)),
          `log has "${fragment}":\n${log.join('\n')}`,
        ).toBe(true);
    });
  });

  it('a sheet loaded in many parts: every row once, on its Excel row, rejects and duplicates across parts', async () => {
    const root = tempDir();
    const dir = join(root, 'delivery');
    mkdirSync(dir, { recursive: true });
    const rows: Cell[][] = [['MST', 'Kỳ', 'Doanh thu']];
    for (let i = 0; i < 10; i++)
      rows.push([`0100109106`, `2026-${String(i + 1).padStart(2, '0')}`, i === 4 ? 'abc' : 1000 * (i + 1)]);
    rows.push(['0100109106', '2026-02', 5]); // row 12: the key of row 3, two parts later
    await writeWorkbook(join(dir, 'declarations.xlsx'), [{ name: 'DS', rows: [['Tờ khai tháng'], ...rows] }]);
    let partsSeen = 0;
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, {
        runId: 'r1',
        log: createLogger({ quiet: true }),
        tmpDir: root,
        xlsxPartRows: 3,
        beforeCommit: async () => {
          partsSeen = readdirSync(root)
            .filter((n) => n.startsWith('sangloc-xlsx-'))
            .flatMap((d) => readdirSync(join(root, d))).length;
        },
      });
      expect(s.files[0]).toMatchObject({
        status: 'loaded',
        headerRow: 2,
        rowsRead: 11,
        rowsLoaded: 9,
        rowsRejected: 2,
      });
      expect(await db.all(`select line, "column", reason from rejects order by line`)).toEqual([
        { line: 7, column: 'Doanh thu', reason: 'not a whole VND amount (digits only, e.g. 1250000)' },
        { line: 13, column: 'tax_id+period', reason: 'duplicate key (tax_id, period) already on line 4 of this file' },
      ]);
      expect(
        await db.all(`select _line::int as line, declared_revenue as v from raw_declarations order by _line`),
      ).toEqual([3, 4, 5, 6, 8, 9, 10, 11, 12].map((line) => ({ line, v: String(1000 * (line - 2)) })));
      expect(partsSeen).toBe(4); // 11 rows in parts of 3
    });
  });

  it('a workbook loaded once is skipped when delivered again, under another name too', async () => {
    const root = tempDir();
    const dir = join(root, 'delivery');
    mkdirSync(dir, { recursive: true });
    await writeWorkbook(join(dir, 'declarations_a.xlsx'), workbooks.duplicated);
    await withDb(async (db) => {
      const first = await loadDelivery(db, dir, { runId: 'r1', log: createLogger({ quiet: true }), tmpDir: root });
      writeFileSync(join(dir, 'declarations_b.xlsx'), readFileSync(join(dir, 'declarations_a.xlsx')));
      const second = await loadDelivery(db, dir, { runId: 'r2', log: createLogger({ quiet: true }), tmpDir: root });
      expect(first.files.map((f) => f.status)).toEqual(['loaded']);
      expect(second.files.map((f) => f.status)).toEqual(['skipped', 'skipped']);
      expect(await db.value(`select count(*)::int from raw_declarations`)).toBe(2);
    });
  });
});
