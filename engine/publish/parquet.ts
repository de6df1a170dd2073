/**
 * cases.parquet, written by an in-memory DuckDB from cases.json (`read_json` → `copy … (format
 * parquet)`), so the rows stream through and never fill a table. Typed columns: BIGINT for VND,
 * DOUBLE for the score, INTEGER for counts and flags, VARCHAR for text. Lists are `|`-joined
 * VARCHAR, exactly as in cases.csv, so the two files compare cell for cell (split with
 * `string_split(col, '|')`). No formula neutralisation: Parquet is read by tools, not run as a spreadsheet.
 */
import { rm } from 'node:fs/promises';
import { openDb, ident, literal } from '../warehouse/db.js';
import { caseColumns, listSeparator, type CaseColumn, type CaseRow } from './case-row.js';
import type { CaseWriteOptions } from './cells.js';
import { writeCasesJson } from './json.js';

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

/**
 * Rows per Parquet row group: DuckDB holds one group in memory while it writes it (its default of
 * 122,880 rows took 250 MB at 167,000 cases; 20,000 rows about 140 MB, the file barely larger).
 */
export const parquetRowGroup = 20_000;

/** The columns of cases.json as `read_json` should type them (lists as text arrays). */
const jsonColumns = (): string =>
  `{${caseColumns
    .map((c) => `${literal(c.name)}: ${literal(c.kind === 'list' ? 'VARCHAR[]' : parquetTypes[c.kind])}`)
    .join(', ')}}`;

/** A cases.parquet column from its cases.json column: lists `|`-joined ('' when empty), the rest as typed. */
const fromJson = (c: CaseColumn): string =>
  c.kind === 'list'
    ? `array_to_string(${ident(c.name)}, ${literal(listSeparator)}) as ${ident(c.name)}`
    : ident(c.name);

/**
 * Writes cases.parquet from a cases.json just written (`writeCasesJson`, same rows and masking):
 * DuckDB reads the JSON array and writes Parquet as it goes, one row group at a time. The cases
 * never sit in a table: put in one with the appender, 167,000 rows took 430 MB more of resident
 * memory (and 2 CPU s of node's thread); read from the JSON, about 140 MB.
 *
 * @example await writeCasesParquetFromJson('runs/r1/cases.parquet', 'runs/r1/cases.json');
 */
export async function writeCasesParquetFromJson(file: string, casesJson: string): Promise<void> {
  // One thread: row order is the ranking (DuckDB keeps the file's order), and there is nothing here
  // worth parallelising.
  const db = await openDb(':memory:', { threads: 1 });
  try {
    await db.exec(
      `copy (
         select ${caseColumns.map(fromJson).join(', ')}
         from read_json(${literal(casesJson)}, format = 'array', columns = ${jsonColumns()})
       ) to ${literal(file)} (format parquet, compression zstd, row_group_size ${parquetRowGroup})`,
    );
  } finally {
    db.close();
  }
}

/**
 * Writes the case list as Parquet (zstd), rows in the given order: through a cases.json written
 * beside it first (`<file>.json.tmp`, removed after); `writeCaseExports` passes its own cases.json.
 *
 * @example await writeCasesParquet('runs/r1/cases.parquet', rows);
 */
export async function writeCasesParquet(
  file: string,
  rows: readonly CaseRow[],
  opts: CaseWriteOptions = {},
): Promise<void> {
  const json = `${file}.json.tmp`;
  try {
    await writeCasesJson(json, rows, opts);
    await writeCasesParquetFromJson(file, json);
  } finally {
    await rm(json, { force: true });
  }
}
