/**
 * cases.parquet, written through an in-memory DuckDB: rows go in with the appender
 * (`Db.appendRows`), then `copy … (format parquet)`. Typed columns: BIGINT for VND, DOUBLE for the score, INTEGER
 * for counts and flags, VARCHAR for text. Lists are `|`-joined VARCHAR, exactly as in
 * cases.csv, so the two files compare cell for cell (split with `string_split(col, '|')`).
 * No formula neutralisation: Parquet is read by tools, not run as a spreadsheet.
 */
import { openDb, ident, literal, type SqlValue } from '../warehouse/db.js';
import { caseColumns, type CaseColumn, type CaseRow } from './case-row.js';
import { exportRow, numericCell, textCell, type CaseWriteOptions } from './cells.js';

/** DuckDB type of each column kind in cases.parquet. */
export const parquetTypes: Record<CaseColumn['kind'], string> = {
  int: 'INTEGER',
  year: 'INTEGER',
  flag: 'INTEGER',
  vnd: 'BIGINT',
  score: 'DOUBLE',
  text: 'VARCHAR',
  list: 'VARCHAR',
};

function duckValue(column: CaseColumn, row: CaseRow): SqlValue {
  const v = row[column.name];
  switch (column.kind) {
    case 'vnd': {
      const n = numericCell(column, v);
      return n === null ? null : BigInt(n);
    }
    case 'int':
    case 'year':
    case 'flag':
    case 'score':
      return numericCell(column, v);
    case 'text':
      return v === null || v === undefined ? null : String(v);
    case 'list':
      return textCell(v);
  }
}

/**
 * Writes the case list as Parquet (zstd), rows in the given order.
 *
 * @example await writeCasesParquet('runs/r1/cases.parquet', rows);
 */
export async function writeCasesParquet(
  file: string,
  rows: readonly CaseRow[],
  opts: CaseWriteOptions = {},
): Promise<void> {
  // One thread: row order is the ranking, and there is nothing here worth parallelising.
  const db = await openDb(':memory:', { threads: 1 });
  try {
    const columnsSql = caseColumns.map((c) => `${ident(c.name)} ${parquetTypes[c.kind]}`).join(', ');
    await db.exec(`create table cases (${columnsSql})`);
    await db.appendRows(
      'cases',
      (function* () {
        for (const r of rows) {
          const row = exportRow(r, opts);
          yield caseColumns.map((c) => duckValue(c, row));
        }
      })(),
    );
    await db.exec(`copy cases to ${literal(file)} (format parquet, compression zstd)`);
  } finally {
    db.close();
  }
}
