/**
 * cases.json: an array of objects, one per case, keys in column order, lists as arrays, numbers
 * as numbers (null when unknown). No formula neutralisation: JSON is not opened as a sheet.
 */
import { open } from 'node:fs/promises';
import { caseColumns, isNumericKind, type CaseRow } from './case-row.js';
import { exportRow, numericCell, type CaseWriteOptions } from './cells.js';

const rowsPerChunk = 2000;

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
  const handle = await open(file, 'w');
  try {
    await handle.write('[');
    for (let start = 0; start < rows.length; start += rowsPerChunk) {
      const parts: string[] = [];
      const end = Math.min(rows.length, start + rowsPerChunk);
      for (let i = start; i < end; i++) {
        parts.push((i === 0 ? '\n' : ',\n') + JSON.stringify(caseJsonObject(exportRow(rows[i]!, opts))));
      }
      await handle.write(parts.join(''));
    }
    await handle.write(rows.length > 0 ? '\n]\n' : ']\n');
  } finally {
    await handle.close();
  }
}
