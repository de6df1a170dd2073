/**
 * cases.csv: UTF-8 with BOM (so Excel shows Vietnamese), CRLF line ends, RFC 4180 quoting,
 * formula injection neutralised in text cells. Written in small pieces, so long lists stay cheap.
 */
import { caseColumns, isNumericKind, type CaseRow } from './case-row.js';
import { exportRow, formatNumber, neutraliseFormula, spreadsheetCell, type CaseWriteOptions } from './cells.js';
import { writeLines } from './text-file.js';

/**
 * Quotes one CSV field when RFC 4180 asks for it (comma, quote, CR or LF inside).
 *
 * @example csvField('a,b') // '"a,b"'
 * @example csvField('say "hi"') // '"say ""hi"""'
 */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A text field of a spreadsheet-facing CSV: formula neutralised, then quoted when needed.
 *
 * @example csvText('=1+1, x') // `"'=1+1, x"`
 */
export function csvText(text: string): string {
  return csvField(neutraliseFormula(text));
}

/** One case row as a CSV line (without the line end). */
export function caseCsvLine(row: CaseRow): string {
  const fields: string[] = [];
  for (const column of caseColumns) {
    const v = spreadsheetCell(column, row);
    if (v === null) fields.push('');
    else if (isNumericKind(column.kind)) fields.push(formatNumber(v as number));
    else fields.push(csvField(v as string));
  }
  return fields.join(',');
}

/**
 * Writes the case list as CSV, header first, rows in the given order.
 *
 * @example await writeCasesCsv('runs/r1/cases.csv', rows, { maskPii: true });
 */
export async function writeCasesCsv(
  file: string,
  rows: readonly CaseRow[],
  opts: CaseWriteOptions = {},
): Promise<void> {
  await writeLines(file, rows.length, (i) => caseCsvLine(exportRow(rows[i]!, opts)) + '\r\n', {
    head: '\ufeff' + caseColumns.map((c) => c.name).join(',') + '\r\n',
  });
}
