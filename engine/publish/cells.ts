/**
 * Cell values as the spreadsheet-facing writers (csv, xlsx) put them: numbers stay numbers, text
 * and lists become strings with formula injection neutralised (OWASP "CSV injection").
 */
import { isNumericKind, joinList, type CaseColumn, type CaseRow } from './case-row.js';
import { maskCaseRow } from './mask.js';

/** Options every case writer takes. */
export interface CaseWriteOptions {
  /** Mask tax codes, IDs, phones, accounts and e-mails (names are kept). Default false. */
  maskPii?: boolean;
}

// OWASP: = + - @ TAB CR start a formula. Full-width forms are read as formulas by some
// spreadsheet apps too; leading spaces and line breaks are skipped by some importers.
const formulaStart = /^[\s\u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * Prefixes `'` to text a spreadsheet would run as a formula; other text is returned unchanged.
 *
 * @example neutraliseFormula('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 * @example neutraliseFormula('Nguyễn Văn A')          // 'Nguyễn Văn A'
 */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** A finite number, or null for null / NaN / ±Infinity. VND and counts are rounded to whole numbers. */
export function numericCell(column: CaseColumn, v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return column.kind === 'score' ? v : Math.round(v);
}

/** Text or `|`-joined list as one string ('' for unknown), not yet neutralised. */
export function textCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return joinList(v as string[]);
  return String(v);
}

/**
 * The value a spreadsheet cell gets: a number, null (empty), or neutralised text.
 *
 * @example spreadsheetCell(caseColumns[15], row) // "'=1+1|Doanh thu COD …" when the first reason starts with '='
 */
export function spreadsheetCell(column: CaseColumn, row: CaseRow): number | string | null {
  const v = row[column.name];
  if (isNumericKind(column.kind)) return numericCell(column, v);
  return neutraliseFormula(textCell(v));
}

/** A row as the writer should see it: masked when asked, otherwise the row itself. */
export function exportRow(row: CaseRow, opts: CaseWriteOptions = {}): CaseRow {
  return opts.maskPii ? maskCaseRow(row) : row;
}

/**
 * A number as plain decimal text, never in exponent form (spreadsheets and loaders agree on it).
 *
 * @example formatNumber(1250000) // '1250000'
 * @example formatNumber(1e-7)    // '0.0000001'
 */
export function formatNumber(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Math.abs(n) >= 1) return BigInt(Math.round(n)).toString();
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
