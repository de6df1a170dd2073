/**
 * cases.xlsx, written with exceljs's streaming WorkbookWriter so 200k rows do not sit in memory:
 * sheet 1 holds the cases (frozen header, autofilter, VND `#,##0`, score `0.000`), sheet 2
 * explains every column and reason code in Vietnamese and English.
 */
import ExcelJS from 'exceljs';
import { caseColumns, type CaseColumn, type CaseRow, type ReasonInfo } from './case-row.js';
import { exportRow, spreadsheetCell, type CaseWriteOptions } from './cells.js';
import { excelFormats, fmt } from '../format.js';

export type Language = 'vi' | 'en';

export interface XlsxOptions extends CaseWriteOptions {
  /** Reason codes the scorer used, explained on the second sheet. */
  reasons?: readonly ReasonInfo[];
  /** Which language comes first on the explanation sheet. Default 'vi'. */
  language?: Language;
  /**
   * Most cases written (the best ones); beyond it a note sheet says the full list is in
   * cases.csv / cases.parquet. Default `defaultXlsxMaxRows`; 0 = no limit.
   */
  maxRows?: number;
}

/**
 * Cases written to cases.xlsx by default: a spreadsheet of 20,000 rows opens in seconds and is
 * more than a year of audits; 200,000 rows take half a minute to write and longer to open.
 */
export const defaultXlsxMaxRows = 20_000;

/** Sheet names (Excel forbids `/` in a sheet name, hence the dash). */
export const casesSheetName = 'Hồ sơ – Cases';
export const explainSheetName = 'Giải thích – Columns';
/** Present only when the list was cut to `maxRows`. */
export const noteSheetName = 'Ghi chú – Note';

/** Excel number formats by column kind. */
export const numberFormats: Partial<Record<CaseColumn['kind'], string>> = {
  vnd: excelFormats.vnd,
  score: excelFormats.score,
  int: excelFormats.count,
  year: excelFormats.year,
  flag: excelFormats.flag,
};

const kindLabels: Record<CaseColumn['kind'], [vi: string, en: string]> = {
  int: ['số nguyên', 'whole number'],
  vnd: ['số tiền VND', 'amount in VND'],
  score: ['điểm 0–1', 'score 0–1'],
  text: ['văn bản', 'text'],
  list: ['danh sách, ngăn cách bằng |', 'list, separated by |'],
  flag: ['0 hoặc 1', '0 or 1'],
  year: ['năm', 'year'],
};

/** Excel cells hold at most 32,767 characters. */
const maxCellChars = 32_767;
// Characters XML 1.0 cannot carry; an xlsx containing one will not open.
const xmlInvalid = new RegExp(
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]' +
    '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  'g',
);

/** Text made safe for a worksheet cell: XML-invalid characters dropped, length capped. */
export function xlsxText(text: string): string {
  const clean = text.replace(xmlInvalid, '');
  return clean.length > maxCellChars ? clean.slice(0, maxCellChars - 1) + '…' : clean;
}

/**
 * Writes the case list as an Excel workbook.
 *
 * @example await writeCasesXlsx('runs/r1/cases.xlsx', rows, { reasons, maskPii: false });
 */
export async function writeCasesXlsx(file: string, rows: readonly CaseRow[], opts: XlsxOptions = {}): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  workbook.creator = 'sangloc';
  // A fixed date keeps the file's metadata independent of the clock.
  workbook.created = new Date(0);
  workbook.modified = new Date(0);

  const limit = opts.maxRows ?? defaultXlsxMaxRows;
  const shown = limit > 0 && rows.length > limit ? rows.slice(0, limit) : rows;
  // First sheet when the list is cut, so nobody mistakes the top rows for the whole list.
  if (shown.length < rows.length) writeNoteSheet(workbook.addWorksheet(noteSheetName), shown.length, rows.length);

  const last = caseColumns.length;
  const sheet = workbook.addWorksheet(casesSheetName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  sheet.columns = caseColumns.map((c) => ({
    key: c.name,
    width: c.width,
    style: numberFormats[c.kind] ? { numFmt: numberFormats[c.kind]! } : {},
  }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: last } };
  const header = sheet.addRow(caseColumns.map((c) => c.name));
  header.font = { bold: true };
  header.commit();

  for (const original of shown) {
    const row = exportRow(original, opts);
    const values = caseColumns.map((c) => {
      const v = spreadsheetCell(c, row);
      return typeof v === 'string' ? xlsxText(v) : v;
    });
    sheet.addRow(values).commit();
  }
  sheet.commit();

  writeExplainSheet(workbook.addWorksheet(explainSheetName, { views: [{ state: 'frozen', ySplit: 1 }] }), opts);
  await workbook.commit();
}

/** The bilingual note of a cut list. */
export function truncationNote(shown: number, total: number): [vi: string, en: string] {
  const f = fmt();
  return [
    `Tệp này chỉ chứa ${f.int(shown)} hồ sơ đầu tiên (xếp hạng cao nhất) trong tổng số ${f.int(total)}. ` +
      `Danh sách đầy đủ nằm trong cases.csv và cases.parquet cùng thư mục.`,
    `This workbook holds the first ${f.int(shown)} cases (best ranked) of ${f.int(total)}. The full ` +
      `list is in cases.csv and cases.parquet in the same folder.`,
  ];
}

function writeNoteSheet(sheet: ExcelJS.Worksheet, shown: number, total: number): void {
  sheet.columns = [{ width: 120 }];
  const [vi, en] = truncationNote(shown, total);
  const head = sheet.addRow(['Danh sách đã rút gọn / List cut to the top cases']);
  head.font = { bold: true };
  head.commit();
  sheet.addRow([vi]).commit();
  sheet.addRow([en]).commit();
  sheet.commit();
}

function writeExplainSheet(sheet: ExcelJS.Worksheet, opts: XlsxOptions): void {
  const enFirst = opts.language === 'en';
  const pair = (vi: string, en: string): [string, string] => (enFirst ? [en, vi] : [vi, en]);
  sheet.columns = [{ width: 24 }, { width: 22 }, { width: 60 }, { width: 60 }, { width: 12 }];
  const bold = (r: ExcelJS.Row) => {
    r.font = { bold: true };
    r.commit();
  };
  const add = (values: (string | null)[]) =>
    sheet.addRow(values.map((v) => (v === null ? null : xlsxText(v)))).commit();

  bold(sheet.addRow(['Cột / Column', 'Kiểu / Kind', ...pair('Tiếng Việt', 'English'), 'Bắt buộc / Required']));
  for (const c of caseColumns) {
    const [kindVi, kindEn] = kindLabels[c.kind];
    add([c.name, `${kindVi} / ${kindEn}`, ...pair(c.label_vi, c.label_en), c.required ? 'x' : '']);
  }
  add([]);
  bold(sheet.addRow(['Mã lý do / Reason code', '', ...pair('Tiếng Việt', 'English')]));
  for (const r of opts.reasons ?? []) add([r.code, '', ...pair(r.label_vi, r.label_en)]);
  add([]);
  add([
    'Ghi chú / Note',
    '',
    ...pair(
      "Ô văn bản bắt đầu bằng = + - @ được thêm dấu ' ở đầu để bảng tính không chạy như công thức. Danh sách " +
        'này là gợi ý để kiểm tra, không phải kết luận vi phạm.',
      "Text cells starting with = + - @ carry a leading ' so a spreadsheet never runs them as formulas. This " +
        'list proposes leads to verify; it is not a finding of any breach.',
    ),
  ]);
  sheet.commit();
}
