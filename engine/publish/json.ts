/**
 * cases.json: an array of objects, one per case, keys in column order, lists as arrays, numbers
 * as numbers (null when unknown). No formula neutralisation: JSON is not opened as a sheet.
 */
import { caseColumns, isNumericKind, type CaseRow } from './case-row.js';
import { exportRow, numericCell, type CaseWriteOptions } from './cells.js';
import { writeLines } from './text-file.js';

/** A case row as a plain JSON-ready object with keys in column order. */
export function caseJsonObject(row: CaseRow): Record<string, number | string | string[] | null> {
  const out: Record<string, number | string | string[] | null> = {};
  for (const column of caseColumns) {
    const v = row[column.name];
    if (isNumericKind(column.kind)) out[column.name] = numericCell(column, v);
    else if (column.kind === 'list') out[column.name] = Array.isArray(v) ? v.map(String) : [];
    else out[column.name] = v === null || v === undefined ? null : String(v);
  }
  return out;
}

// `"name":` of each column, in column order: the line of a row is these and its values, joined.
const jsonKeys = caseColumns.map((c) => `${JSON.stringify(c.name)}:`);

/**
 * A case row as one line of cases.json: exactly `JSON.stringify(caseJsonObject(row))`, without
 * building that object and its arrays first (less garbage, a third less CPU).
 *
 * @example caseJsonLine(row) // '{"rank":1,"entity_id":"E1",…,"record_count":4}'
 */
export function caseJsonLine(row: CaseRow): string {
  let line = '{';
  for (let k = 0; k < caseColumns.length; k++) {
    const column = caseColumns[k]!;
    const v = row[column.name];
    let value: string;
    if (isNumericKind(column.kind)) value = JSON.stringify(numericCell(column, v));
    else if (column.kind === 'list') value = Array.isArray(v) ? listJson(v) : '[]';
    else value = v === null || v === undefined ? 'null' : JSON.stringify(String(v));
    line += (k === 0 ? '' : ',') + jsonKeys[k] + value;
  }
  return line + '}';
}

function listJson(values: readonly unknown[]): string {
  let out = '[';
  for (let k = 0; k < values.length; k++) out += (k === 0 ? '' : ',') + JSON.stringify(String(values[k]));
  return out + ']';
}

/**
 * Writes the case list as a JSON array, one object per line.
 *
 * @example await writeCasesJson('runs/r1/cases.json', rows);
 */
export async function writeCasesJson(
  file: string,
  rows: readonly CaseRow[],
  opts: CaseWriteOptions = {},
): Promise<void> {
  await writeLines(file, rows.length, (i) => (i === 0 ? '\n' : ',\n') + caseJsonLine(exportRow(rows[i]!, opts)), {
    head: '[',
    tail: rows.length > 0 ? '\n]\n' : ']\n',
  });
}
