/**
 * All four case files of a run folder in one call: cases.csv, cases.xlsx, cases.parquet, cases.json.
 */
import { join } from 'node:path';
import type { CaseRow, ReasonInfo } from './case-row.js';
import { writeCasesCsv } from './csv.js';
import { writeCasesJson } from './json.js';
import { writeCasesParquetFromJson } from './parquet.js';
import { writeCasesXlsx, type Language } from './xlsx.js';

export interface CaseExportOptions {
  maskPii?: boolean;
  /** Language first on the xlsx explanation sheet. Default 'vi'. */
  language?: Language;
  /** Reason codes the scorer used (explained in the xlsx). */
  reasons?: readonly ReasonInfo[];
  /** Most cases in cases.xlsx (config `output.xlsxMaxRows`); csv, parquet and json always hold all. Default 20,000;
   * 0 = all. */
  xlsxMaxRows?: number;
}

export const caseFileNames = ['cases.csv', 'cases.xlsx', 'cases.parquet', 'cases.json'] as const;

/**
 * Writes cases.{csv,xlsx,parquet,json} into `dir` (which must exist); returns the paths written.
 * One file after the other: cases.parquet is made from cases.json, and the other writers are all on
 * node's one thread (side by side they took the same time, 167,000 rows). All four are attempted
 * (cases.parquet only once cases.json is written); the first failure is rethrown once they have
 * all been tried.
 *
 * @example await writeCaseExports('WS/runs/r1', rows, { maskPii: false, reasons });
 */
export async function writeCaseExports(
  dir: string,
  rows: readonly CaseRow[],
  opts: CaseExportOptions = {},
): Promise<string[]> {
  const [csv, xlsx, parquet, json] = caseFileNames.map((n) => join(dir, n)) as [string, string, string, string];
  const write = { maskPii: opts.maskPii ?? false };
  let failure: { reason: unknown } | undefined;
  const attempt = async (writer: () => Promise<void>): Promise<boolean> => {
    try {
      await writer();
      return true;
    } catch (err) {
      failure ??= { reason: err };
      return false;
    }
  };
  await attempt(() => writeCasesCsv(csv, rows, write));
  await attempt(() =>
    writeCasesXlsx(xlsx, rows, { ...write, language: opts.language, reasons: opts.reasons, maxRows: opts.xlsxMaxRows }),
  );
  // cases.parquet is read from cases.json (the same rows, masked alike): without it, there is none
  if (await attempt(() => writeCasesJson(json, rows, write)))
    await attempt(() => writeCasesParquetFromJson(parquet, json));
  if (failure) throw failure.reason;
  return [csv, xlsx, parquet, json];
}
