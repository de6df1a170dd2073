import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { InputError } from '../errors.js';
import { findHeaderRow, joinTwoRowHeader, mapHeaders, type HeaderMapping } from './headers.js';
import type { SourceIngestConfig } from './options.js';
import { sources, type ColumnType, type SourceName } from './sources.js';

/** Rows of a sheet looked at for its header (config `headerRow` may point further down). */
export const HEADER_SCAN_ROWS = 20;

/** Options of exceljs's streaming reader: shared strings and styles cached (styles say which numbers are dates). */
export const xlsxReaderOptions = {
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'emit',
} as const;

interface ZipEntry {
  path: string;
  stream(): Readable;
}
const unzipper = createRequire(import.meta.url)('unzipper') as {
  Open: { file(path: string): Promise<{ files: ZipEntry[] }> };
};

/** The parts of exceljs's WorkbookReader (4.4) the reader below drives. */
interface ExcelJsWorkbookReader {
  input: string;
  model?: { sheets?: { id: number; name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ eventType: string; value: { name?: string } }>;
}

/**
 * exceljs's streaming workbook reader with its zip read by random access instead of in archive
 * order. Excel (and exceljs's own writer) store the sheets before the shared strings; the stock
 * reader then copies each sheet to a temp file and, for a sheet of ~100 MB of XML (200,000 rows),
 * never finishes: its entry iterator pauses the archive stream the copy is waiting on, and Node
 * exits with the read unsettled. Here the shared strings, styles and workbook are read first, then
 * each sheet (in tab order) is streamed straight from the file into exceljs's own sheet parser:
 * no temp copy, same cells.
 */
class RandomAccessWorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: string,
  options: object,
) => ExcelJsWorkbookReader) {
  async *parse(): AsyncGenerator<{ eventType: string; value: unknown }> {
    const zip = await unzipper.Open.file(this.input);
    const entry = (path: string) => zip.files.find((e) => e.path === path);
    const part = async (path: string, read: (s: Readable) => Promise<void>) => {
      const e = entry(path);
      if (e) await read(e.stream());
    };
    await part('xl/_rels/workbook.xml.rels', (s) => this._parseRels(s));
    await part('xl/workbook.xml', (s) => this._parseWorkbook(s));
    const strings = entry('xl/sharedStrings.xml');
    if (strings) for await (const _ of this._parseSharedStrings(strings.stream())) void _;
    await part('xl/styles.xml', (s) => this._parseStyles(s));
    for (const sheet of this.model?.sheets ?? []) {
      const rel = this.workbookRels?.find((r) => r.Id === sheet.rId);
      if (!rel) continue;
      const path = rel.Target.replace(/^\//, '').replace(/^(?!xl\/)/, 'xl/');
      const e = entry(path);
      if (!e) continue;
      for (const ev of this._parseWorksheet(e.stream(), /sheet(\d+)\.xml$/.exec(path)?.[1] ?? String(sheet.id))) {
        ev.value.name = sheet.name;
        yield ev;
      }
    }
  }
}

/**
 * The worksheets of a workbook file, in tab order, each an async iterable of exceljs rows, streamed.
 *
 * @example for await (const ws of readWorkbook('bank.xlsx')) for await (const row of ws) row.values;
 */
export function readWorkbook(path: string): AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name: string }> {
  return new RandomAccessWorkbookReader(path, xlsxReaderOptions) as unknown as AsyncIterable<
    ExcelJS.stream.xlsx.WorksheetReader & { name: string }
  >;
}

export interface XlsxStaged {
  /** The sheet loaded and its header row (1-based, as Excel numbers rows). */
  sheet: string;
  headerRow: number;
  /** The header row's cells as text (a merged cell's value in its first cell, the rest empty). */
  header: string[];
  mapping: HeaderMapping;
  /** Data rows written to the parts (rows with no value in a recognised column are not rows). */
  rows: number;
  /** Rows below the header with no value in a recognised column: not rows, counted here only. */
  blankRows: number;
  /**
   * CSV files of the data rows in order (`part-0001.csv`, …, each with its header line): `_line`
   * (the Excel row number) then `c<i>` for each mapped file column `i` (0-based), every value as
   * text in contract form where the cell says its type.
   */
  parts: string[];
  /** What happened to the other sheets (empty, duplicate, no header), for the log. */
  notes: string[];
  /** Set when the header is written over two rows and was read as one (also in `notes`). */
  twoRowHeader?: string;
}

/** Rows per CSV part: parts are loaded while the next ones are parsed. */
export const PART_ROWS = 25_000;

export interface XlsxSink {
  /** The loaded sheet and its header, before any part. Throwing refuses the file. */
  onHeader?: (sheet: string, headerRow: number, header: string[], mapping: HeaderMapping) => void;
  /** A complete part (called in order). */
  onPart?: (csvPath: string) => void;
  /** Rows per part (default `PART_ROWS`). */
  partRows?: number;
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
  /** The header's cells: the header row's, or a two-row header's joined (`Người gửi / Số điện thoại`). */
  header: string[];
  /** The last header row (1-based): the row below `rowIndex` for a two-row header. */
  lastHeaderRow: number;
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
 * The rows go to CSV parts of `PART_ROWS` rows in `dir`; `sink.onPart` hears of each part as soon
 * as it is complete, so the caller can load it while the rest of the workbook is still parsed.
 *
 * @example const x = await stageXlsx('bank_transactions_vcb.xlsx', 'bank_transactions', cfg, tmp, { onPart: load });
 *   // x.sheet = 'Sao kê', x.headerRow = 4, rows in x.parts with _line = 5, 6, …
 */
export async function stageXlsx(
  path: string,
  source: SourceName,
  cfg: SourceIngestConfig | undefined,
  dir: string,
  sink: XlsxSink = {},
): Promise<XlsxStaged> {
  const spec = sources[source];
  const wantSheet = cfg?.sheet;
  const wantRow = cfg?.headerRow;
  const rename = cfg?.rename;
  const scans: SheetScan[] = [];
  let chosen: Chosen | undefined;
  const conflicts: string[] = [];
  let out: number | undefined;
  let partHeader = '';
  const parts: string[] = [];
  let buf = '';
  let rows = 0;
  let partRows = 0;
  let blankRows = 0;
  let twoRowNote: string | undefined;
  const flush = () => {
    if (!buf) return;
    if (out === undefined) {
      parts.push(join(dir, `part-${String(parts.length + 1).padStart(4, '0')}.csv`));
      out = openSync(parts[parts.length - 1]!, 'w');
      writeSync(out, partHeader);
    }
    writeSync(out, buf);
    buf = '';
  };
  const endPart = () => {
    flush();
    if (out === undefined) return;
    closeSync(out);
    out = undefined;
    partRows = 0;
    sink.onPart?.(parts[parts.length - 1]!);
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
    if (++partRows >= (sink.partRows ?? PART_ROWS)) endPart();
    else if (buf.length > 1 << 20) flush();
  };
  try {
    let sheetNo = 0;
    for await (const ws of readWorkbook(path)) {
      sheetNo++;
      const name = ws.name ?? `Sheet${sheetNo}`;
      const scan: SheetScan = { name, head: [], found: null, nonEmptyRows: 0 };
      scans.push(scan);
      const wanted = wantSheet === undefined || wantSheet === name || wantSheet === sheetNo;
      // (a configured header row's next row too: it may be the second row of a two-row header)
      const scanUntil = wantRow !== undefined ? Math.max(wantRow, 1) + 1 : HEADER_SCAN_ROWS;
      // The first rows are kept as read until the header is known (they may be data rows).
      const held: { n: number; values: unknown[]; row: ExcelJS.Row }[] = [];
      let decided = false;
      let writing: Chosen | undefined;
      const decide = () => {
        decided = true;
        if (!wanted || scan.nonEmptyRows === 0) return;
        if (wantRow !== undefined) {
          const header = scan.head[wantRow - 1];
          const mapping = header && mapHeaders(source, header, rename);
          // Without a sheet named, the row must name a column of the source (a notes sheet's row N does not).
          const names = mapping && (wantSheet !== undefined || mapping.columns.length + mapping.ambiguous.length > 0);
          scan.found = names ? { rowIndex: wantRow - 1, mapping } : null;
        } else scan.found = findHeaderRow(source, scan.head, HEADER_SCAN_ROWS, rename);
        if (!scan.found) return;
        if (chosen) {
          conflicts.push(name);
          return;
        }
        const { rowIndex } = scan.found;
        const two = twoRowHeader(path, source, name, scan.head, rowIndex, rename);
        const mapping = two?.mapping ?? scan.found.mapping;
        const header = two?.header ?? scan.head[rowIndex]!;
        const lastHeaderRow = rowIndex + (two ? 2 : 1);
        if (two) twoRowNote = two.note;
        const cols = mapping.columns.map((c) => c.fileIndex);
        const types = mapping.columns.map((c) => spec.columns.find((s) => s.name === c.contract)!.type);
        chosen = writing = { scan, rowIndex, header, lastHeaderRow, mapping, types, cols };
        sink.onHeader?.(name, rowIndex + 1, header, mapping);
        partHeader = ['_line', ...cols.map((i) => `c${i}`)].join(',') + '\n';
        for (const h of held) if (h.n > lastHeaderRow) writeRow(writing, h.n, h.values, h.row);
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
    endPart();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      path,
      `cannot be read as an Excel workbook (${String((err as Error).message)
        .split('\n')[0]!
        .slice(0, 200)}); open it in Excel and save it again as .xlsx, or as CSV UTF-8`,
    );
  } finally {
    if (out !== undefined) closeSync(out);
  }
  const staged = { ...finish(path, source, cfg, scans, chosen, conflicts, rows, parts), blankRows };
  if (twoRowNote) {
    staged.notes.push(twoRowNote);
    staged.twoRowHeader = twoRowNote;
  }
  if (blankRows)
    staged.notes.push(
      `${blankRows} row(s) below the header of sheet "${staged.sheet}" have no value in a recognised column ` +
        '(notes, signature lines); not loaded',
    );
  // A later sheet with a header for the source: loaded once if it repeats the chosen sheet.
  if (staged.conflicts.length) {
    const digests = await sheetDigests(path, [staged.sheet, ...staged.conflicts]);
    const differ = staged.conflicts.filter((c) => digests.get(c) !== digests.get(staged.sheet));
    if (differ.length) {
      const at = `ingest.sources.${source}`;
      throw new InputError(
        path,
        `sheets "${staged.sheet}" and ${differ.map((o) => `"${o}"`).join(', ')} ` +
          `both hold ${source} rows with different content; ` +
          `set ${at}.sheet to the sheet to load, or deliver each sheet as its own file`,
      );
    }
    for (const c of staged.conflicts)
      staged.notes.push(`sheet "${c}" has the same content as sheet "${staged.sheet}"; loaded once`);
  }
  return staged;
}

/**
 * The header of a sheet whose header row `rowIndex` has a second header row below it (group cells
 * merged over sub-headers, `joinTwoRowHeader`): the joined header, its mapping and a note for the
 * log. Undefined when the next row is not a header row. A next row that names columns of the source
 * by itself but is not laid out under the header's groups refuses the file: taking either row alone
 * would map columns wrongly or reject every row.
 */
function twoRowHeader(
  path: string,
  source: SourceName,
  sheet: string,
  head: string[][],
  rowIndex: number,
  rename: Record<string, string> | undefined,
): { header: string[]; mapping: HeaderMapping; note: string } | undefined {
  const top = head[rowIndex] ?? [];
  const below = head[rowIndex + 1];
  if (!below) return undefined;
  const joined = joinTwoRowHeader(source, top, below, rename);
  if (!joined) {
    const own = mapHeaders(source, below, rename);
    const numbers = below.some((c) => /^[\d\s.,:/+-]+$/.test(c) && /\d/.test(c));
    if (own.columns.length + own.ambiguous.length >= 2 && !numbers) {
      throw new InputError(
        path,
        `sheet "${sheet}": rows ${rowIndex + 1} and ${rowIndex + 2} both hold column names, but not as a ` +
          `header over two rows (group cells above their sub-headers) can be read; make the header one row, ` +
          `or set ingest.sources.${source}.headerRow to the row holding the column names`,
      );
    }
    return undefined;
  }
  const mapping = mapHeaders(source, joined.header, rename, joined.alternatives);
  const subs = joined.header.filter((h, j) => h !== (top[j] ?? '').trim() && h.includes(' / '));
  return {
    header: joined.header,
    mapping,
    note:
      `sheet "${sheet}": header over rows ${rowIndex + 1}–${rowIndex + 2} (group cells above sub-headers), ` +
      `read as one row: ${subs.map((h) => `"${h}"`).join(', ')}`,
  };
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
  let sheetNo = 0;
  for await (const ws of readWorkbook(path)) {
    sheetNo++;
    const name = ws.name ?? `Sheet${sheetNo}`;
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
  parts: string[],
): Omit<XlsxStaged, 'blankRows'> & { conflicts: string[] } {
  const at = `ingest.sources.${source}`;
  const list = scans.map((s) => `"${s.name}"`).join(', ');
  if (scans.length === 0) throw new InputError(path, 'the workbook has no sheets; is it really an .xlsx file?');
  if (cfg?.sheet !== undefined && !scans.some((s, i) => s.name === cfg.sheet || i + 1 === cfg.sheet)) {
    throw new InputError(
      path,
      `no sheet ${JSON.stringify(cfg.sheet)} (config ${at}.sheet); the workbook's sheets are ${list}`,
    );
  }
  if (scans.every((s) => s.nonEmptyRows === 0))
    throw new InputError(path, `every sheet is empty (${list}); nothing to load`);
  if (!chosen) {
    if (cfg?.headerRow !== undefined) {
      throw new InputError(
        path,
        `row ${cfg.headerRow} (config ${at}.headerRow) is empty` +
          (cfg.sheet !== undefined
            ? ` in sheet ${JSON.stringify(cfg.sheet)}`
            : ` or names no column of ${source} in every sheet`) +
          '; set headerRow to the row holding the column names',
      );
    }
    throw new InputError(
      path,
      `no sheet has a header row for ${source} in its first ${HEADER_SCAN_ROWS} rows ` +
        `(sheets ${list})${closestHeader(source, scans, cfg)}; ` +
        `name the columns in ${at}.rename, or set ${at}.sheet and ${at}.headerRow`,
    );
  }
  const notes: string[] = [];
  for (const s of scans) {
    if (s === chosen.scan || conflicts.includes(s.name)) continue;
    if (s.nonEmptyRows === 0) notes.push(`sheet "${s.name}" is empty; skipped`);
    else if (cfg?.sheet !== undefined)
      notes.push(`sheet "${s.name}" not loaded (config ${at}.sheet = ${JSON.stringify(cfg.sheet)})`);
    else notes.push(`sheet "${s.name}" has no header row for ${source}; skipped`);
  }
  const header = chosen.header.map((h) => h ?? '');
  return {
    sheet: chosen.scan.name,
    headerRow: chosen.rowIndex + 1,
    header,
    mapping: chosen.mapping,
    rows,
    parts,
    notes,
    conflicts,
  };
}

/**
 * ` (closest: sheet "X" row 3 maps a, b; missing c; "So tein": did you mean amount?)`, or '' when
 * no row maps anything.
 */
function closestHeader(source: SourceName, scans: SheetScan[], cfg: SourceIngestConfig | undefined): string {
  let best: { sheet: string; row: number; m: HeaderMapping } | undefined;
  for (const s of scans) {
    s.head.forEach((cells, r) => {
      if (!cells) return;
      const m = mapHeaders(source, cells, cfg?.rename);
      if (m.columns.length + m.ambiguous.length > (best ? best.m.columns.length + best.m.ambiguous.length : 0))
        best = { sheet: s.name, row: r + 1, m };
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
  // (spaces need no quotes: DuckDB keeps them, and raw_ keeps values as delivered)
  return quoteNeeded.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
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
    const o = v as {
      richText?: { text: string }[];
      result?: unknown;
      formula?: string;
      sharedFormula?: string;
      error?: string;
      text?: unknown;
    };
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
    return dateText(new Date(EXCEL_EPOCH_MS + Math.round((n * DAY_MS) / 1000) * 1000), type);
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
