import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { InputError } from '../errors.js';
import { findHeaderRow, mapHeaders, type HeaderMapping } from './headers.js';
import type { SourceIngestConfig } from './options.js';
import { sources, type ColumnType, type SourceName } from './sources.js';

/** Rows of a sheet looked at for its header (config `headerRow` may point further down). */
export const HEADER_SCAN_ROWS = 20;

/** Options of exceljs's streaming reader: shared strings and styles cached (styles say which numbers are dates). */
export const xlsxReaderOptions = { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' } as const;

export interface XlsxStaged {
  /** The sheet loaded and its header row (1-based, as Excel numbers rows). */
  sheet: string;
  headerRow: number;
  /** The header row's cells as text (a merged cell's value in its first cell, the rest empty). */
  header: string[];
  mapping: HeaderMapping;
  /** Data rows written to `csvPath` (rows with no value at all are skipped, like blank CSV lines). */
  rows: number;
  /**
   * A CSV of the data rows: `_line` (the Excel row number) then `c<i>` for each mapped file
   * column `i` (0-based), every value as text in contract form where the cell says its type.
   */
  csvPath: string;
  /** What happened to the other sheets (empty, duplicate, no header), for the log. */
  notes: string[];
}

interface SheetScan {
  name: string;
  /** First rows as text, index = row number − 1. */
  head: string[][];
  found: { rowIndex: number; mapping: HeaderMapping } | null;
  nonEmptyRows: number;
}

interface Chosen {
  scan: SheetScan;
  rowIndex: number;
  mapping: HeaderMapping;
  /** File columns written (0-based) and the contract type of the column each feeds. */
  cols: number[];
  types: ColumnType[];
}

/**
 * Streams one sheet of a workbook into a CSV that the CSV loader's SQL reads, in one pass over the
 * file: the sheet and header row are found by header recognition (`findHeaderRow`) unless the
 * config names them (`sheet`, `headerRow`). Sheets without any value are skipped; a later sheet
 * with the same content as the loaded one is skipped with a note; a second sheet with a header for
 * the same source and other content refuses the file (which to load is for the config to say,
 * never a silent choice). Rows below the header with no value in a recognised column (signature
 * lines, notes) are not rows of the source: counted in `blankRows`, not loaded.
 *
 * @example const x = await stageXlsx('bank_transactions_vcb.xlsx', 'bank_transactions', cfg, '/tmp/ws/x.csv');
 *   // x.sheet = 'Sao kê', x.headerRow = 4, rows in x.csvPath with _line = 5, 6, …
 */
export async function stageXlsx(path: string, source: SourceName, cfg: SourceIngestConfig | undefined, csvPath: string): Promise<XlsxStaged> {
  const spec = sources[source];
  const wantSheet = cfg?.sheet;
  const wantRow = cfg?.headerRow;
  const rename = cfg?.rename;
  const scans: SheetScan[] = [];
  let chosen: Chosen | undefined;
  const conflicts: string[] = [];
  const out = openSync(csvPath, 'w');
  let buf = '';
  let rows = 0;
  let blankRows = 0;
  const flush = () => {
    if (buf) writeSync(out, buf);
    buf = '';
  };
  const writeRow = (c: Chosen, rowNumber: number, values: unknown[], row: ExcelJS.Row) => {
    let line = String(rowNumber);
    let any = false;
    for (let k = 0; k < c.cols.length; k++) {
      const v = cellText(values[c.cols[k]! + 1], c.types[k]!, row, c.cols[k]! + 1);
      if (v !== '') any = true;
      line += ',' + csvField(v);
    }
    if (!any) {
      blankRows++;
      return;
    }
    buf += line + '\n';
    rows++;
    if (buf.length > 1 << 20) flush();
  };
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, xlsxReaderOptions);
    let sheetNo = 0;
    for await (const ws of reader) {
      sheetNo++;
      const name = (ws as unknown as { name?: string }).name ?? `Sheet${sheetNo}`;
      const scan: SheetScan = { name, head: [], found: null, nonEmptyRows: 0 };
      scans.push(scan);
      const wanted = wantSheet === undefined || wantSheet === name || wantSheet === sheetNo;
      const scanUntil = wantRow !== undefined ? Math.max(wantRow, 1) : HEADER_SCAN_ROWS;
      // The first rows are kept as read until the header is known (they may be data rows).
      const held: { n: number; values: unknown[]; row: ExcelJS.Row }[] = [];
      let decided = false;
      let writing: Chosen | undefined;
      const decide = () => {
        decided = true;
        if (!wanted || scan.nonEmptyRows === 0) return;
        if (wantRow !== undefined) {
          const header = scan.head[wantRow - 1];
          scan.found = header ? { rowIndex: wantRow - 1, mapping: mapHeaders(source, header, rename) } : null;
        } else scan.found = findHeaderRow(source, scan.head, HEADER_SCAN_ROWS, rename);
        if (!scan.found) return;
        if (chosen) {
          conflicts.push(name);
          return;
        }
        const { mapping, rowIndex } = scan.found;
        const cols = mapping.columns.map((c) => c.fileIndex);
        const types = mapping.columns.map((c) => spec.columns.find((s) => s.name === c.contract)!.type);
        chosen = writing = { scan, rowIndex, mapping, types, cols };
        buf += ['_line', ...cols.map((i) => `c${i}`)].join(',') + '\n';
        for (const h of held) if (h.n > rowIndex + 1) writeRow(writing, h.n, h.values, h.row);
      };
      for await (const r of ws) {
        const row = r as ExcelJS.Row;
        const values = row.values as unknown[];
        if (writing) {
          scan.nonEmptyRows++;
          writeRow(writing, row.number, values, row);
          continue;
        }
        if (!decided && row.number > scanUntil) decide();
        if (writing) {
          scan.nonEmptyRows++;
          writeRow(writing, row.number, values as unknown[], row);
          continue;
        }
        if (decided) {
          if (scan.nonEmptyRows === 0 && hasValue(values)) scan.nonEmptyRows++;
          continue;
        }
        const cells = headText(values, row);
        if (cells.some((c) => c !== '')) {
          scan.nonEmptyRows++;
          scan.head[row.number - 1] = cells;
          held.push({ n: row.number, values, row });
        }
      }
      if (!decided) decide();
    }
    flush();
  } finally {
    closeSync(out);
  }
  const staged = finish(path, source, cfg, scans, chosen, conflicts, rows, csvPath);
  if (blankRows) staged.notes.push(`${blankRows} row(s) below the header of sheet "${staged.sheet}" have no value in a recognised column (notes, signature lines); not loaded`);
  // A later sheet with a header for the source: loaded once if it repeats the chosen sheet.
  if (staged.conflicts.length) {
    const digests = await sheetDigests(path, [staged.sheet, ...staged.conflicts]);
    const differ = staged.conflicts.filter((c) => digests.get(c) !== digests.get(staged.sheet));
    if (differ.length) {
      const at = `ingest.sources.${source}`;
      throw new InputError(path, `sheets "${staged.sheet}" and ${differ.map((o) => `"${o}"`).join(', ')} both hold ${source} rows with different content; ` +
        `set ${at}.sheet to the sheet to load, or deliver each sheet as its own file`);
    }
    for (const c of staged.conflicts) staged.notes.push(`sheet "${c}" has the same content as sheet "${staged.sheet}"; loaded once`);
  }
  return staged;
}

const hasValue = (values: unknown[]) => values.some((v) => v !== null && v !== undefined && v !== '');

/** A row's cells as text, index = 0-based column (for header detection). */
function headText(values: unknown[], row: ExcelJS.Row): string[] {
  const out: string[] = [];
  for (let i = 1; i < values.length; i++) out.push(cellText(values[i], 'text', row, i).trim());
  return out;
}

/** SHA-256 of each named sheet's cells (row number, column, value), by a second streaming read. */
async function sheetDigests(path: string, names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, xlsxReaderOptions);
  let sheetNo = 0;
  for await (const ws of reader) {
    sheetNo++;
    const name = (ws as unknown as { name?: string }).name ?? `Sheet${sheetNo}`;
    const wanted = names.includes(name);
    const h = createHash('sha256');
    for await (const r of ws) {
      if (!wanted) continue;
      const row = r as ExcelJS.Row;
      const values = row.values as unknown[];
      if (!hasValue(values)) continue;
      h.update(`${row.number}\u0001${JSON.stringify(values)}\u0003`);
    }
    if (wanted) out.set(name, h.digest('hex'));
  }
  return out;
}

function finish(
  path: string,
  source: SourceName,
  cfg: SourceIngestConfig | undefined,
  scans: SheetScan[],
  chosen: Chosen | undefined,
  conflicts: string[],
  rows: number,
  csvPath: string,
): XlsxStaged & { conflicts: string[] } {
  const at = `ingest.sources.${source}`;
  const list = scans.map((s) => `"${s.name}"`).join(', ');
  if (scans.length === 0) throw new InputError(path, 'the workbook has no sheets; is it really an .xlsx file?');
  if (cfg?.sheet !== undefined && !scans.some((s, i) => s.name === cfg.sheet || i + 1 === cfg.sheet)) {
    throw new InputError(path, `no sheet ${JSON.stringify(cfg.sheet)} (config ${at}.sheet); the workbook's sheets are ${list}`);
  }
  if (scans.every((s) => s.nonEmptyRows === 0)) throw new InputError(path, `every sheet is empty (${list}); nothing to load`);
  if (!chosen) {
    if (cfg?.headerRow !== undefined) {
      throw new InputError(path, `row ${cfg.headerRow} (config ${at}.headerRow) is empty in ${cfg.sheet !== undefined ? `sheet ${JSON.stringify(cfg.sheet)}` : `every sheet`}; set headerRow to the row holding the column names`);
    }
    throw new InputError(path, `no sheet has a header row for ${source} in its first ${HEADER_SCAN_ROWS} rows (sheets ${list})${closestHeader(source, scans, cfg)}; ` +
      `name the columns in ${at}.rename, or set ${at}.sheet and ${at}.headerRow`);
  }
  const notes: string[] = [];
  for (const s of scans) {
    if (s === chosen.scan || conflicts.includes(s.name)) continue;
    if (s.nonEmptyRows === 0) notes.push(`sheet "${s.name}" is empty; skipped`);
    else if (cfg?.sheet !== undefined) notes.push(`sheet "${s.name}" not loaded (config ${at}.sheet = ${JSON.stringify(cfg.sheet)})`);
    else notes.push(`sheet "${s.name}" has no header row for ${source}; skipped`);
  }
  const header = (chosen.scan.head[chosen.rowIndex] ?? []).map((h) => h ?? '');
  return { sheet: chosen.scan.name, headerRow: chosen.rowIndex + 1, header, mapping: chosen.mapping, rows, csvPath, notes, conflicts };
}

/** ` (closest: sheet "X" row 3 maps a, b; missing c; "So tein": did you mean amount?)`, or '' when no row maps anything. */
function closestHeader(source: SourceName, scans: SheetScan[], cfg: SourceIngestConfig | undefined): string {
  let best: { sheet: string; row: number; m: HeaderMapping } | undefined;
  for (const s of scans) {
    s.head.forEach((cells, r) => {
      if (!cells) return;
      const m = mapHeaders(source, cells, cfg?.rename);
      if (m.columns.length + m.ambiguous.length > (best ? best.m.columns.length + best.m.ambiguous.length : 0)) best = { sheet: s.name, row: r + 1, m };
    });
  }
  if (!best) return '';
  const m = best.m;
  const parts = [`maps ${m.columns.map((c) => c.contract).join(', ') || 'nothing'}`];
  if (m.missingRequired.length) parts.push(`missing ${m.missingRequired.join(', ')}`);
  for (const s of m.suggestions) parts.push(`"${s.fileColumn}": did you mean ${s.didYouMean}?`);
  return ` (closest: sheet "${best.sheet}" row ${best.row} ${parts.join('; ')})`;
}

const quoteNeeded = /[",\n\r]/;

function csvField(v: string): string {
  if (v === '') return '';
  return quoteNeeded.test(v) || v.trim() !== v ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * One cell as text, in the form of the contract column it feeds: Excel dates → `YYYY-MM-DD` (date)
 * or `YYYY-MM-DDTHH:MM:SS` (timestamp, no offset: Asia/Ho_Chi_Minh), a date serial number in a
 * date column likewise; whole numbers exact; formulas by their cached result; rich text joined.
 */
const DAY_MS = 86_400_000;
/** Excel's day 0 in its 1900 system (with the 1900 leap-year bug: serials from 61 on). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function cellText(v: unknown, type: ColumnType, row: ExcelJS.Row, col: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v, type, row, col);
  if (v instanceof Date) return dateText(v, type);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; formula?: string; sharedFormula?: string; error?: string; text?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result, type, row, col);
    if (o.error !== undefined) return String(o.error);
    if (o.text !== undefined) return cellText(o.text, type, row, col);
  }
  return String(v);
}

function numberText(n: number, type: ColumnType, row: ExcelJS.Row, col: number): string {
  if ((type === 'date' || type === 'timestamp') && n > 32_000 && n < 73_100) {
    // A bare date serial (a date cell formatted as General): 32874 = 1990-01-01, 73050 = 2099-12-31.
    return dateText(new Date(EXCEL_EPOCH_MS + Math.round(n * DAY_MS / 1000) * 1000), type);
  }
  if (Number.isInteger(n)) {
    const s = Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
    if (type === 'text') {
      // An identifier stored as a number keeps the leading zeros its format shows (`0000000000`).
      const fmt = row.getCell(col).numFmt;
      if (fmt && /^0+$/.test(fmt) && s.length < fmt.length) return s.padStart(fmt.length, '0');
    }
    return s;
  }
  // Floating-point noise of a formula (1375000.0000000002) is not a fraction of a dong.
  if ((type === 'vnd' || type === 'integer') && Math.abs(n - Math.round(n)) < 1e-6) return String(Math.round(n));
  return String(n);
}

function dateText(d: Date, type: ColumnType): string {
  if (Number.isNaN(d.getTime())) return '';
  // exceljs gives the wall-clock time as UTC; Excel's float times are off by fractions of a second.
  const t = new Date(Math.round(d.getTime() / 1000) * 1000).toISOString();
  if (type === 'date') return t.slice(0, 10);
  const time = t.slice(11, 19);
  return type === 'timestamp' || time !== '00:00:00' ? `${t.slice(0, 10)}T${time}` : t.slice(0, 10);
}
