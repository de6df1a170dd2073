/**
 * cases.xlsx, the case list for people (cases.csv is for machines), written with exceljs's
 * streaming WorkbookWriter so 200k rows do not sit in memory: sheet 1 holds the cases (name,
 * province, expected yield and reasons first; header row and name column frozen; autofilter; VND
 * `#,##0`, score `0.000`; identifiers as text; A4 landscape, one page wide, header repeated),
 * sheet 2 explains every column and reason code in Vietnamese and English.
 */
import ExcelJS from 'exceljs';
import { caseColumns, type CaseColumn, type CaseColumnName, type CaseRow, type ReasonInfo } from './case-row.js';
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
 * The columns a printed page holds, in order (the print area): who, where, how much, why, then the
 * identifiers to look the seller up. All 28 columns on one A4 width would print at 5 pt.
 */
export const printedColumns: CaseColumnName[] = [
  'name',
  'province',
  'expected_yield_vnd',
  'reasons',
  'rank',
  'risk_score',
  'tax_gap_vnd',
  'entity_id',
  'tax_ids',
  'national_ids',
  'phones',
  'control_slice',
];

/**
 * The spreadsheet's column order: what an analyst reads first (name, province, expected yield,
 * reasons), then the rest in the catalogue's order. cases.csv keeps the contract's order (machines).
 */
export const xlsxColumns: readonly CaseColumn[] = (() => {
  const first: CaseColumnName[] = printedColumns;
  const byName = new Map(caseColumns.map((c) => [c.name, c]));
  return [...first.map((n) => byName.get(n)!), ...caseColumns.filter((c) => !first.includes(c.name))];
})();

/** Short headers of the case sheet (the explanation sheet has the long labels and the csv names). */
export const xlsxHeaders: Record<CaseColumnName, [vi: string, en: string]> = {
  name: ['Tên người bán', 'Seller name'],
  province: ['Tỉnh/thành phố', 'Province'],
  expected_yield_vnd: ['Thuế kỳ vọng (VND)', 'Expected yield (VND)'],
  reasons: ['Lý do', 'Reasons'],
  rank: ['Hạng', 'Rank'],
  risk_score: ['Điểm rủi ro', 'Risk score'],
  entity_id: ['Mã người bán', 'Entity id'],
  estimated_revenue_vnd: ['Doanh thu ước tính (VND)', 'Estimated revenue (VND)'],
  declared_revenue_vnd: ['Doanh thu kê khai (VND)', 'Declared revenue (VND)'],
  undeclared_revenue_vnd: ['Doanh thu chưa kê khai (VND)', 'Undeclared revenue (VND)'],
  tax_gap_vnd: ['Chênh lệch thuế (VND)', 'Tax gap (VND)'],
  tax_ids: ['Mã số thuế', 'Tax codes'],
  national_ids: ['Số CCCD', 'National IDs'],
  phones: ['Số điện thoại', 'Phones'],
  sources: ['Nguồn dữ liệu', 'Sources'],
  reason_codes: ['Mã lý do', 'Reason codes'],
  control_slice: ['Mẫu đối chứng', 'Control case'],
  tax_year: ['Năm thuế', 'Tax year'],
  activity_group: ['Nhóm ngành', 'Activity group'],
  tax_rate: ['Thuế suất', 'Tax rate'],
  tax_rate_min: ['Thuế suất thấp nhất', 'Lowest rate'],
  tax_rate_max: ['Thuế suất cao nhất', 'Highest rate'],
  tax_rate_basis: ['Căn cứ thuế suất', 'Basis of the rate'],
  platform_revenue_vnd: ['Doanh thu sàn (VND)', 'Marketplace revenue (VND)'],
  cod_revenue_vnd: ['Doanh thu COD (VND)', 'COD revenue (VND)'],
  bank_revenue_vnd: ['Doanh thu ngân hàng (VND)', 'Bank revenue (VND)'],
  tax_withheld_vnd: ['Thuế sàn khấu trừ (VND)', 'Tax withheld (VND)'],
  emails: ['Thư điện tử', 'E-mails'],
  accounts: ['Tài khoản ngân hàng', 'Bank accounts'],
  domains: ['Website / ứng dụng', 'Websites / apps'],
  shops: ['Gian hàng', 'Shops'],
  record_count: ['Số bản ghi', 'Records'],
};

/** Spreadsheet column letter of a 1-based column number. @example columnLetter(28) // 'AB' */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** Points per line of 11-pt text (Excel's default row height). */
const lineHeight = 15;

/**
 * Lines the tallest cell of a row takes when wrapped: each `\n`-separated piece over its column
 * width (in characters of the digit 0; text runs ~15 % narrower; one kept for the margin), words
 * not split. Numbers take one line.
 *
 * @example linesOf(['a\nb', 'x'.repeat(30)], [10, 16]) // 2
 */
export function linesOf(values: readonly unknown[], widths: readonly number[]): number {
  let most = 1;
  values.forEach((v, k) => {
    if (typeof v !== 'string' || v === '') return;
    const room = Math.max(1, Math.floor(widths[k]! * 1.15) - 1);
    let lines = 0;
    for (const piece of v.split('\n')) {
      lines++;
      let line = 0;
      for (const word of piece.split(/\s+/)) {
        if (!word) continue;
        if (line > 0 && line + 1 + word.length <= room) {
          line += 1 + word.length;
          continue;
        }
        if (line > 0) lines++;
        // A word longer than the column breaks across lines.
        lines += Math.floor((word.length - 1) / room);
        line = ((word.length - 1) % room) + 1;
      }
    }
    most = Math.max(most, lines);
  });
  return most;
}

/** Columns whose cells hold identifiers: typed as text (`@`) so a spreadsheet keeps leading zeros. */
const identifierColumns = new Set<CaseColumnName>(['entity_id', 'tax_ids', 'national_ids', 'phones', 'accounts']);

/** The header of a column in `lang`. */
export const xlsxHeader = (c: CaseColumn, lang: Language): string => xlsxHeaders[c.name][lang === 'en' ? 1 : 0];

/**
 * Width (characters) of a column on the case sheet: its catalogue width, never narrower than the
 * longest word of its header (wrapped headers break between words, never inside one) nor than
 * a third of the whole header, so a header shows whole in at most three lines.
 */
export function xlsxWidth(c: CaseColumn, lang: Language): number {
  const header = xlsxHeader(c, lang);
  const longestWord = Math.max(...header.split(/\s+/).map((w) => w.length));
  return Math.max(c.width, longestWord + 2, Math.ceil(header.length / 3) + 2);
}

/**
 * Writes the case list as an Excel workbook for people: name, province, expected yield and reasons
 * first; identifiers as text; one reason (and one identifier) per line; A4 landscape, the print area
 * (`printedColumns`) fitted to the page width, the header row repeated on every printed page; the
 * header row and the name column frozen.
 *
 * @example await writeCasesXlsx('runs/r1/cases.xlsx', rows, { reasons, maskPii: false });
 */
export async function writeCasesXlsx(file: string, rows: readonly CaseRow[], opts: XlsxOptions = {}): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  workbook.creator = 'sangloc';
  // A fixed date keeps the file's metadata independent of the clock.
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  const lang: Language = opts.language ?? 'vi';

  const limit = opts.maxRows ?? defaultXlsxMaxRows;
  const shown = limit > 0 && rows.length > limit ? rows.slice(0, limit) : rows;
  // First sheet when the list is cut, so nobody mistakes the top rows for the whole list.
  if (shown.length < rows.length) writeNoteSheet(workbook.addWorksheet(noteSheetName), shown.length, rows.length);

  const last = xlsxColumns.length;
  const sheet = workbook.addWorksheet(casesSheetName, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
      printArea: `A:${columnLetter(printedColumns.length)}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&L&A&R&P / &N' },
  });
  sheet.columns = xlsxColumns.map((c) => ({
    key: c.name,
    width: xlsxWidth(c, lang),
    style: {
      ...(numberFormats[c.kind] ? { numFmt: numberFormats[c.kind]! } : {}),
      ...(identifierColumns.has(c.name) ? { numFmt: '@' } : {}),
      alignment: { vertical: 'top', ...(c.kind === 'list' || c.kind === 'text' ? { wrapText: true } : {}) },
    },
  }));
  const columnStyles = xlsxColumns.map((_, k) => sheet.getColumn(k + 1).style);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: last } };
  const widths = xlsxColumns.map((c) => xlsxWidth(c, lang));
  const headers = xlsxColumns.map((c) => xlsxHeader(c, lang));
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  header.height = lineHeight * linesOf(headers, widths);
  header.commit();

  for (const original of shown) {
    const row = exportRow(original, opts);
    const values = xlsxColumns.map((c) => {
      const v = spreadsheetCell(c, row, '\n');
      return typeof v === 'string' ? xlsxText(v) : v;
    });
    const added = sheet.addRow(values);
    // The column's own style object on every cell: exceljs then finds its style id by identity,
    // instead of rendering a fresh copy of the style to XML for each of the 32 cells of each row.
    for (let k = 0; k < last; k++) added.getCell(k + 1).style = columnStyles[k]!;
    // Excel and LibreOffice do not grow a row for wrapped text on opening a file: set its height.
    added.height = lineHeight * linesOf(values, widths);
    added.commit();
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
  sheet.columns = [{ width: 28 }, { width: 24 }, { width: 22 }, { width: 60 }, { width: 60 }, { width: 12 }];
  const bold = (r: ExcelJS.Row) => {
    r.font = { bold: true };
    r.commit();
  };
  const add = (values: (string | null)[]) =>
    sheet.addRow(values.map((v) => (v === null ? null : xlsxText(v)))).commit();

  bold(
    sheet.addRow([
      'Cột / Column',
      'Tên trong CSV / CSV name',
      'Kiểu / Kind',
      ...pair('Tiếng Việt', 'English'),
      'Bắt buộc / Required',
    ]),
  );
  for (const c of xlsxColumns) {
    const [kindVi, kindEn] = kindLabels[c.kind];
    add([
      xlsxHeader(c, opts.language ?? 'vi'),
      c.name,
      `${kindVi} / ${kindEn}`,
      ...pair(c.label_vi, c.label_en),
      c.required ? 'x' : '',
    ]);
  }
  add([]);
  bold(sheet.addRow(['Mã lý do / Reason code', '', '', ...pair('Tiếng Việt', 'English')]));
  for (const r of opts.reasons ?? []) add([r.code, '', '', ...pair(r.label_vi, r.label_en)]);
  add([]);
  add([
    'Ghi chú / Note',
    '',
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
