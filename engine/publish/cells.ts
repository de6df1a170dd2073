/**
 * Cell values as the spreadsheet-facing writers (csv, xlsx) put them: numbers stay numbers, text
 * and lists become strings with formula injection neutralised (OWASP "CSV injection").
 */
import { literal } from '../warehouse/db.js';
import { isNumericKind, joinList, type CaseColumn, type CaseRow } from './case-row.js';
import { maskCaseRow } from './mask.js';

/** Options every case writer takes. */
export interface CaseWriteOptions {
  /** Mask tax codes, IDs, phones, accounts and e-mails (names are kept). Default false. */
  maskPii?: boolean;
}

// OWASP: = + - @ TAB CR start a formula. Full-width forms are read as formulas by some
// spreadsheet apps too; leading spaces and line breaks (JavaScript's \s, spelled out so that
// DuckDB's RE2 reads the class the same) are skipped by some importers.
const formulaLeads = '=+\\-@\t\r\uff1d\uff0b\uff0d\uff20';
const skippedSpace = ' \t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** Text a spreadsheet would run as a formula, as one pattern JavaScript and DuckDB read alike. */
export const formulaStartPattern = `^[${skippedSpace}]*[${formulaLeads}]`;
const formulaStart = new RegExp(formulaStartPattern);

/**
 * Prefixes `'` to text a spreadsheet would run as a formula; other text is returned unchanged.
 * The one neutraliser of every spreadsheet-facing output (cases.csv and .xlsx, members.csv,
 * rejects.csv, the diff and stats CSV, `sangloc link`'s CSV); `neutraliseFormulaSql` is its SQL body.
 *
 * @example neutraliseFormula('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 * @example neutraliseFormula('Nguyễn Văn A')          // 'Nguyễn Văn A'
 */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/**
 * `neutraliseFormula` as a DuckDB expression over a text expression (null stays null), for the
 * CSV files DuckDB writes itself.
 *
 * @example `copy (select ${neutraliseFormulaSql('record_key')} as record_key from t) to 'f.csv'`
 */
export function neutraliseFormulaSql(expr: string): string {
  return `(case when regexp_matches(${expr}, ${literal(formulaStartPattern)}) then '''' || ${expr} else ${expr} end)`;
}

/** A finite number, or null for null / NaN / ±Infinity. VND and counts are rounded to whole numbers. */
export function numericCell(column: CaseColumn, v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return column.kind === 'score' ? v : Math.round(v);
}

/** Text or `|`-joined list as one string ('' for unknown), not yet neutralised; `separator` joins lists otherwise. */
export function textCell(v: unknown, separator?: string): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return separator === undefined ? joinList(v as string[]) : (v as string[]).join(separator);
  return String(v);
}

/**
 * The value a spreadsheet cell gets: a number, null (empty), or neutralised text (lists joined
 * with `|`, or with `separator`: the xlsx puts one item per line).
 *
 * @example spreadsheetCell(caseColumns[15], row) // "'=1+1|Doanh thu COD …" when the first reason starts with '='
 */
export function spreadsheetCell(column: CaseColumn, row: CaseRow, separator?: string): number | string | null {
  const v = row[column.name];
  if (isNumericKind(column.kind)) return numericCell(column, v);
  return neutraliseFormula(textCell(v, separator));
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
